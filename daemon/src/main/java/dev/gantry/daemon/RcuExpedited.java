package dev.gantry.daemon;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's {@code rcu_expedited} switch ({@code /sys/kernel/rcu_expedited}; the boot
 * parameter {@code rcupdate.rcu_expedited} in Documentation/admin-guide/kernel-parameters.txt):
 * while it is 1, a {@code synchronize_rcu()} takes an expedited grace period instead of a normal one.
 *
 * <p>Why gantryd sets it. A container on a bridge network costs about fourteen {@code iptables}
 * runs (the bridge plugin's masquerade chain: nine at ADD, five at DEL), and every nf_tables
 * commit waits for a grace period before it returns; so do veth and network namespace
 * teardown. On this kind of host (a 2-vCPU VM) a normal grace period takes ~8 ms: an
 * {@code iptables} run took 8.7 ms with the switch off and 0.64 ms with it on, and {@code docker
 * run --rm} on the default bridge went from 67–72 ms median in the runs just before to 39–55 ms
 * (one run at 60 ms under load) in the runs after (docs/benchmarks.md).
 *
 * <p>What it costs. An expedited grace period interrupts every CPU that is not idle (an IPI)
 * instead of waiting for each to pass a quiescent state: more CPU work on hosts with many CPUs,
 * and latency for real-time work. The switch is host-wide, stays set after gantryd exits (as
 * dockerd leaves ip_forward set) and speeds other engines' iptables as much; an administrator's
 * {@code rcu_normal=1} overrides it. {@code gantryd --rcu-expedited=false} leaves it alone.
 */
final class RcuExpedited {
    static final Path KNOB = Path.of("/sys/kernel/rcu_expedited");

    private RcuExpedited() {}

    /**
     * Turns the switch on. True when this call changed it, false when it was on already;
     * UNAVAILABLE naming the file when the kernel has no such switch or refuses the write.
     */
    static boolean enable(Path knob) {
        try {
            if (!Files.readString(knob).strip().equals("0")) {
                return false;
            }
            Files.writeString(knob, "1\n");
            return true;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "setting " + knob + ": " + e);
        }
    }
}
