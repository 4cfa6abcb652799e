package dev.gantry.runtime.plan;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxCapabilities;
import dev.gantry.oci.runtime.PosixRlimit;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.User;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The steps that turn a prepared process into the configured one, shared by a container's
 * init and by exec: rlimits, session and terminal, credentials, capabilities, umask, cwd,
 * executable lookup. The order follows capabilities(7): the user is switched with
 * PR_SET_KEEPCAPS before capabilities are set, and a seccomp filter that is not protected
 * by no_new_privs is loaded while the process still holds CAP_SYS_ADMIN.
 */
final class ProcessSteps {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ProcessSteps() {}

    /** Checks rlimits against the host before anything is started; see DESIGN §5. */
    static void checkRlimits(Process p, HostFacts host) {
        for (int i = 0; i < p.rlimitsOrEmpty().size(); i++) {
            PosixRlimit r = p.rlimitsOrEmpty().get(i);
            String field = "process.rlimits[" + i + "]";
            int res = Rlimits.resource(r.type(), field + ".type");
            long hard = r.hard(), soft = r.soft();
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw GantryException.invalid(field + ": " + r.type() + " soft limit " + Long.toUnsignedString(soft)
                        + " is above its hard limit " + Long.toUnsignedString(hard));
            }
            Long hostHard = host.hardLimits().get(res);
            if (!host.canRaiseLimits() && hostHard != null && Long.compareUnsigned(hard, hostHard) > 0) {
                throw new GantryException(dev.gantry.base.ErrorKind.UNAVAILABLE, field + ": " + r.type()
                        + " hard limit " + unsigned(hard) + " is above the host's hard limit " + unsigned(hostHard)
                        + ", and raising it needs CAP_SYS_RESOURCE, which this runtime does not have");
            }
        }
    }

    private static String unsigned(long v) {
        return v == -1 ? "unlimited" : Long.toUnsignedString(v);
    }

    static void rlimits(List<Step> out, Process p) {
        for (PosixRlimit r : p.rlimitsOrEmpty()) {
            out.add(Step.of(Op.SETRLIMIT, (long) Rlimits.resource(r.type(), "process.rlimits"), r.soft(), r.hard(), r.type()));
        }
    }

    /** Credentials, capabilities, umask and cwd, and the executable lookup. */
    static void identity(List<Step> out, Process p, Optional<SeccompFilter> seccomp, Consumer<String> warn) {
        if (seccomp.isPresent() && !p.noNewPrivileges()) {
            out.add(seccompStep(seccomp.get()));
        }
        User u = p.userOrRoot();
        out.add(Step.of(Op.USER, u.uid(), u.gid(), new Step.U64List(u.additionalGidsOrEmpty()), true));
        LinuxCapabilities caps = p.capabilities();
        if (caps != null) {
            out.add(Step.of(Op.CAPS,
                    Capabilities.mask(caps.boundingOrEmpty(), warn),
                    Capabilities.mask(caps.effectiveOrEmpty(), warn),
                    Capabilities.mask(caps.permittedOrEmpty(), warn),
                    Capabilities.mask(caps.inheritableOrEmpty(), warn),
                    Capabilities.mask(caps.ambientOrEmpty(), warn)));
        }
        out.add(Step.of(Op.UMASK, u.umask() == null ? 022L : u.umask()));
        out.add(Step.of(Op.CHDIR, p.cwd()));
        out.add(Step.of(Op.LOOKUP, p.argsOrEmpty().getFirst(), path(p.envOrEmpty())));
    }

    /** The last steps: no_new_privs and a seccomp filter that relies on it, then execve. */
    static void exec(List<Step> out, Process p, Optional<SeccompFilter> seccomp) {
        if (p.noNewPrivileges()) {
            out.add(Step.of(Op.NO_NEW_PRIVS));
            seccomp.ifPresent(f -> out.add(seccompStep(f)));
        }
        out.add(Step.of(Op.EXEC, new Step.StrList(p.argsOrEmpty()), new Step.StrList(p.envOrEmpty())));
    }

    private static Step seccompStep(SeccompFilter f) {
        return Step.of(Op.SECCOMP, f.flags(), f.program());
    }

    static String path(List<String> env) {
        return env.stream().filter(e -> e.startsWith("PATH=")).reduce((a, b) -> b)
                .map(e -> e.substring(5)).orElse(DEFAULT_PATH);
    }

    static Map<String, Long> consoleSize(Process p) {
        return p.consoleSize() == null ? Map.of("rows", 0L, "cols", 0L)
                : Map.of("rows", p.consoleSize().height(), "cols", p.consoleSize().width());
    }
}
