package dev.gantry.cgroups.sys;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The few system calls the cgroup code needs that Java's standard library does not offer:
 * directory descriptors (for {@code clone3(CLONE_INTO_CGROUP)} and BPF attachment), eventfd
 * (v1 OOM notification through {@code cgroup.event_control}) and {@code bpf(2)} (the v2
 * device controller). Every method throws a {@link dev.gantry.base.GantryException} naming
 * the call and the errno when the kernel refuses.
 *
 * <p>Methods that block ({@link #pollReadable}) must run on a platform thread: a blocking
 * downcall pins a virtual thread's carrier.
 */
public interface CgroupSyscalls {
    /** {@code open(dir, O_RDONLY|O_DIRECTORY|O_CLOEXEC)}. */
    int openDirectory(Path dir);

    /** {@code open(file, O_RDONLY|O_CLOEXEC)}. */
    int openReadOnly(Path file);

    void close(int fd);

    /** {@code eventfd(0, EFD_CLOEXEC)}. */
    int eventfd();

    /** Reads the 8-byte counter of an eventfd (resets it to zero). */
    long readEventfd(int fd);

    /** Adds {@code value} to an eventfd's counter, waking its readers. */
    void signalEventfd(int fd, long value);

    /**
     * {@code poll(2)} for readability of {@code fds}; returns the descriptors that became
     * readable (empty when the timeout passed first). Blocks.
     */
    List<Integer> pollReadable(List<Integer> fds, Duration timeout);

    /**
     * {@code bpf(BPF_PROG_LOAD)}: loads {@code instructions} (8 bytes each, little-endian)
     * as a program of {@code programType}; returns the program's descriptor. The verifier's
     * log is part of the error when it refuses the program.
     */
    int bpfProgramLoad(int programType, byte[] instructions, String license);

    /** {@code bpf(BPF_PROG_ATTACH)} of {@code programFd} to the cgroup directory {@code cgroupFd}. */
    void bpfProgramAttach(int cgroupFd, int programFd, int attachType, int flags);

    /** {@code bpf(BPF_PROG_DETACH)} of one program from the cgroup directory. */
    void bpfProgramDetach(int cgroupFd, int programFd, int attachType);

    /** {@code bpf(BPF_PROG_QUERY)}: ids of the programs attached directly to the cgroup. */
    List<Integer> bpfProgramQuery(int cgroupFd, int attachType);

    /** {@code bpf(BPF_PROG_GET_FD_BY_ID)}. */
    int bpfProgramFdById(int id);

    /**
     * {@code mount(NULL, mountPoint, NULL, MS_REMOUNT | flags, options)}: reconfigures a mounted
     * cgroup file system with {@code options}, its whole list of super options, and sets the
     * mount's own flags to {@code flags} ({@code MS_RDONLY}, {@code MS_NOSUID}, {@code MS_NODEV},
     * {@code MS_NOEXEC}): both are reset to what is given, only the access-time flags are kept.
     */
    void remount(Path mountPoint, long flags, String options);
}
