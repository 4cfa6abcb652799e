package dev.gantry.runtime.plan;

import dev.gantry.oci.runtime.LinuxNamespace;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Compiles the plan of a process exec'd into a running container (the seeds' `docker exec`
 * through setns): join each namespace the container's init is in, then become the
 * configured process. Joining happens in the helper, which is single-threaded (setns(2)
 * into a user namespace is refused to a multi-threaded process); the pid namespace only
 * applies to children, hence the CLONE after it.
 */
public final class ExecPlanner {
    private final HostFacts host;
    private final Consumer<String> warn;

    public ExecPlanner(HostFacts host, Consumer<String> warn) {
        this.host = host;
        this.warn = warn;
    }

    /** The helper's descriptor number of the init's pidfd, which the runtime passes at spawn. */
    public static final int INIT_PIDFD = 4;

    /**
     * @param container the container's config (which namespaces it has)
     * @param p         the process to start
     * @param seccomp   the container's compiled filter, if any
     */
    public Plan plan(Spec container, Process p, Optional<SeccompFilter> seccomp) {
        ProcessSteps.checkRlimits(p, host);
        List<Step> s = new ArrayList<>();
        long flags = 0;
        for (LinuxNamespace ns : container.linuxOrEmpty().namespacesOrEmpty()) {
            flags |= Namespaces.flag(ns.type());
        }
        if (flags != 0) {
            s.add(Step.of(Op.SETNS_FD, (long) INIT_PIDFD, flags));
        }
        s.add(Step.of(Op.CLONE, 0L, ""));
        s.add(Step.of(Op.WAIT_GO));
        if (p.terminal()) {
            var size = ProcessSteps.consoleSize(p);
            s.add(Step.of(Op.CONSOLE, size.get("rows"), size.get("cols"), false));
        }
        ProcessSteps.rlimits(s, p);
        s.add(Step.of(Op.SETSID));
        ProcessSteps.identity(s, p, seccomp, warn);
        ProcessSteps.exec(s, p, seccomp);
        return new Plan(s);
    }
}
