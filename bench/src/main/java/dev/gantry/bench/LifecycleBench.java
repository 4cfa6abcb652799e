package dev.gantry.bench;

import dev.gantry.cgroups.Cgroups;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.CreateOptions;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * create → start → wait → delete of one bundle, in one JVM: the cost of a container start
 * to an engine that embeds the runtime (no JVM start-up in the measurement).
 *
 * <p>Usage: LifecycleBench BUNDLE [ITERATIONS] [WARMUP]. Prints median, p90 and min in ms.
 */
public final class LifecycleBench {
    private LifecycleBench() {}

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Syscalls sys = new LinuxSyscalls();
        Path root = Files.createTempDirectory("gantry-bench");
        HelperBinary helper = HelperBinary.load(sys);
        HostFacts host = HostFacts.probe();
        Cgroups cgroups = Cgroups.host();
        ContainerRuntime rt = new ContainerRuntime(sys, root, () -> helper, () -> host, () -> cgroups, w -> { });
        double[] ms = new double[n];
        for (int i = -warmup; i < n; i++) {
            double t = once(rt, "bench-" + (i + warmup), bundle);
            if (i >= 0) {
                ms[i] = t;
            }
        }
        Files.deleteIfExists(root);
        Arrays.sort(ms);
        System.out.printf("in-process create+start+wait+delete: n=%d median=%.2f ms p90=%.2f ms min=%.2f ms%n",
                n, ms[n / 2], ms[(int) (n * 0.9)], ms[0]);
    }

    /** One create → start → wait → delete of {@code bundle}, in milliseconds; the process must exit 0. */
    static double once(ContainerRuntime rt, String id, Path bundle) {
        long t0 = System.nanoTime();
        ContainerRuntime.Created c = rt.create(id, bundle, CreateOptions.defaults());
        rt.start(id);
        int code = rt.waitForInit(c).shellCode();
        rt.delete(id, false);
        long t1 = System.nanoTime();
        if (code != 0) {
            throw new IllegalStateException("container exited with " + code);
        }
        return (t1 - t0) / 1e6;
    }
}
