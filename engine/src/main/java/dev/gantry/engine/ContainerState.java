package dev.gantry.engine;

/**
 * The runtime state of a container ({@code State} of inspect). Times are RFC 3339 with
 * nanoseconds, or null before the first start (Docker shows the zero time then).
 *
 * @param status     see {@link Status}
 * @param pid        the host pid of the container's first process while it is live, else 0
 * @param exitCode   the exit code of the last run (128 + signal when a signal killed it)
 * @param error      why the last start failed or how the exit was lost, or empty
 * @param startedAt  when the last run started
 * @param finishedAt when the last run ended
 * @param oomKilled  whether the kernel's OOM killer acted in the container's cgroup during the last run
 */
public record ContainerState(Status status, int pid, int exitCode, String error, String startedAt, String finishedAt,
        boolean oomKilled) {

    public static ContainerState created() {
        return new ContainerState(Status.CREATED, 0, 0, "", null, null, false);
    }

    public ContainerState withStatus(Status s) {
        return new ContainerState(s, pid, exitCode, error, startedAt, finishedAt, oomKilled);
    }
}
