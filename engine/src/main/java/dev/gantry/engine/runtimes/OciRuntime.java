package dev.gantry.engine.runtimes;

import dev.gantry.cgroups.CgroupStats;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.Console;
import dev.gantry.sys.ExitStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI runtime as the engine drives it: the operations of the OCI runtime spec
 * (runtime.md: create, start, state, kill, delete) plus runc's pause/resume, update, exec
 * and ps, keyed by container id.
 *
 * <p>Vocabulary: a <em>bundle</em> is a directory holding {@code config.json}; the
 * <em>init</em> is the container's first process, created stopped before the user's program
 * and released by {@link #start}; <em>stdio</em> maps a child fd (0–2) to a descriptor of ours
 * that becomes it; a {@link Console.Receiver} gets the master of the terminal when
 * {@code process.terminal} is set. Every pid returned is a child of this process (directly,
 * or re-parented to it as a child subreaper), so the caller waits for it with a pidfd and
 * collects its exit status.
 *
 * <p>Errors are {@code GantryException}s: NOT_FOUND for an unknown container or a missing
 * executable, CONFLICT when the container's state forbids the operation. Calls block: call
 * them from platform threads.
 */
public interface OciRuntime {
    /** The name clients choose it by ({@code HostConfig.Runtime}, {@code docker run --runtime}). */
    String name();

    /** The executable, for an external runtime; empty for the in-process one. */
    Optional<Path> path();

    /** Creates the container from the bundle; returns the init's host pid. Nothing is left on failure. */
    int create(String id, Path bundle, Console console, Map<Integer, Integer> stdio);

    /** Releases the init into the user's program. */
    void start(String id);

    State state(String id);

    /** Sends {@code signal} to the init, or with {@code all} to every process of the container. */
    void kill(String id, int signal, boolean all);

    /** Deletes the runtime's state of the container; {@code force} kills it first when it runs. */
    void delete(String id, boolean force);

    void pause(String id);

    void resume(String id);

    /** Applies new resource limits to a running container. */
    void update(String id, LinuxResources resources);

    /** One sample of the container's cgroup counters. */
    CgroupStats stats(String id);

    /** The host pids of the container's processes. */
    List<Integer> ps(String id);

    /** Starts {@code process} inside the running container; returns its host pid. */
    int exec(String id, Process process, Console console, Map<Integer, Integer> stdio);

    /** Waits for a process {@link #exec} started and reaps it. */
    ExitStatus waitForChild(int pid);
}
