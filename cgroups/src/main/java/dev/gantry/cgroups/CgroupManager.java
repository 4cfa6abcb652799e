package dev.gantry.cgroups;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxResources;

import java.time.Duration;
import java.util.List;

/**
 * The cgroup of one container, on whatever hierarchy layout the host has.
 *
 * <p>Vocabulary:
 * <ul>
 *   <li>The <em>container's cgroup</em> is one path ({@link CgroupsPath}) below the root of
 *       every hierarchy: on a v1 host one directory per mounted controller hierarchy, on a
 *       v2 host one directory in the unified hierarchy, on a hybrid host both (the cgroup2
 *       directory holds the same processes, which gives {@code cgroup.kill} and
 *       {@code CLONE_INTO_CGROUP} there).</li>
 *   <li>A <em>controller</em> is one kind of resource (memory, cpu, cpuset, pids, blkio/io,
 *       hugetlb, devices, freezer); each is applied by its own class taking the directory.</li>
 *   <li><em>Create</em> makes the directories; <em>apply</em> writes a complete
 *       {@link LinuxResources} to a cgroup that runs no container code yet;
 *       {@link #createAndApply} does both and leaves nothing behind if either fails.</li>
 *   <li><em>Update</em> changes the limits of a live cgroup: only the parts present in the
 *       given resources are written, in an order that the kernel accepts against the
 *       current values (v1 memory and memory+swap); a device list, when given, replaces the
 *       previous one.</li>
 *   <li><em>Destroy</em> removes the container's directories (and any sub-cgroups the
 *       container made); it works without any state from the call that created them, so a
 *       runtime that crashed mid-create cleans up by building a manager for the same path
 *       and destroying it.</li>
 * </ul>
 * A manager is meant for one caller at a time; only {@link OomWatch} is used from another
 * thread. Every failure is a {@link dev.gantry.base.GantryException} naming the OCI field (such as
 * {@code linux.resources.memory.limit}), the file and the host's reason: UNAVAILABLE when the
 * host lacks the controller or refuses the state, INVALID_ARGUMENT when the value is wrong.
 */
public interface CgroupManager {
    /** The container's cgroup path. */
    CgroupsPath path();

    /** The container's directories; they need not exist yet. */
    CgroupPaths paths();

    /** Whether the container's cgroup exists (in every hierarchy). */
    boolean exists();

    /**
     * Creates the container's directories (and missing parents) in every hierarchy; on v1
     * the cpuset of each new directory is copied from its parent, since an empty cpuset
     * cannot hold a task. If any step fails, the directories made so far are removed.
     */
    void create();

    /** Writes {@code resources} to the freshly created cgroup. */
    void apply(LinuxResources resources);

    /** {@link #create()} then {@link #apply}; on failure everything created is removed. */
    default void createAndApply(LinuxResources resources) {
        create();
        try {
            apply(resources);
        } catch (RuntimeException e) {
            try {
                destroy(Duration.ofSeconds(1));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Changes the limits of the live cgroup; see the class comment. NOT_FOUND when it is gone. */
    default void update(LinuxResources resources) {
        if (!exists()) {
            throw GantryException.notFound("cgroup " + path() + " does not exist");
        }
        apply(resources);
    }

    /**
     * Moves process {@code pid} (all its threads) into the container's cgroup in every
     * hierarchy. The runtime calls it for the container's init before that process runs any
     * container code, and for every exec'd process.
     */
    void addProcess(long pid);

    /**
     * Opens the container's cgroup2 directory ({@code O_RDONLY|O_DIRECTORY|O_CLOEXEC}) for
     * {@code clone3(CLONE_INTO_CGROUP)}; the caller closes the returned descriptor.
     *
     * @throws dev.gantry.base.GantryException UNAVAILABLE on a pure v1 host
     */
    int openUnifiedDirectory();

    /** Stops every process of the cgroup and waits until the kernel reports them stopped. */
    void freeze(Duration timeout);

    /** Lets the processes of a frozen cgroup run again. */
    void thaw(Duration timeout);

    FreezerState freezerState();

    /** The pids of every process in the cgroup and its sub-cgroups, ascending. */
    List<Long> pids();

    CgroupStats stats();

    /** Starts watching for OOM kills in the cgroup; see {@link OomWatch}. */
    OomWatch watchOom();

    /**
     * Sends SIGKILL to every process of the cgroup and its sub-cgroups and waits until they
     * are gone: atomically through {@code cgroup.kill} where the cgroup has a cgroup2
     * directory, else by freezing, signalling each pid and thawing (so no process can fork
     * away in between). A cgroup2 directory killed this way is never reused: the manager
     * refuses {@link #addProcess} afterwards.
     */
    void killAll(Duration timeout);

    /**
     * Removes the container's directories and their sub-cgroups, retrying while the kernel
     * answers EBUSY (processes still exiting) until {@code timeout}. Parents such as
     * {@code gantry} stay. Destroying a cgroup that does not exist does nothing.
     */
    void destroy(Duration timeout);
}
