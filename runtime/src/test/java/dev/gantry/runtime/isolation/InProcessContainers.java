package dev.gantry.runtime.isolation;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.oci.runtime.Process;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.CreateOptions;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.sys.ExitStatus;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.OciBundle;
import dev.gantry.testkit.OciSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime library in this JVM against the real kernel, for the isolation tests: unique
 * container ids, bundles with a busybox rootfs, output captured in files, and after each
 * test every container force-deleted and checked gone, state and cgroups both.
 */
abstract class InProcessContainers {
    static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    final Syscalls sys = new LinuxSyscalls();
    final List<String> warnings = new ArrayList<>();
    @TempDir
    Path tmp;
    ContainerRuntime rt;
    private final List<String> ids = new ArrayList<>();
    private final List<Integer> children = new ArrayList<>();
    private int bundles;

    @BeforeEach
    void startRuntime() {
        HelperBinary helper = HelperBinary.load(sys);
        rt = new ContainerRuntime(sys, tmp.resolve("state"), () -> helper, HostFacts::probe, Cgroups::host, warnings::add);
    }

    @AfterEach
    void deleteEverythingAndCheckNothingLeft() {
        for (int pid : children) {
            try {
                sys.kill(pid, 9);
            } catch (GantryException ignored) {
                // exited already
            }
            try {
                rt.waitForChild(pid);
            } catch (GantryException ignored) {
                // reaped by the test
            }
        }
        for (String id : ids) {
            try {
                rt.delete(id, true);
            } catch (GantryException e) {
                assertThat(e.kind()).as("delete --force " + id).isEqualTo(ErrorKind.NOT_FOUND);
            }
        }
        assertNothingLeft(ids);
    }

    /** No state entry and no cgroup directory (in any hierarchy) of the given containers. */
    void assertNothingLeft(List<String> containerIds) {
        for (String id : containerIds) {
            assertThat(rt.store().exists(id)).as("state of " + id).isFalse();
            assertThat(tmp.resolve("state").resolve(id)).doesNotExist();
        }
        assertThat(Leaks.cgroups(containerIds)).as("cgroup directories left").isEmpty();
        try (var hierarchies = Files.list(CGROUP_ROOT)) {
            for (Path h : hierarchies.toList()) {
                for (String id : containerIds) {
                    assertThat(h.resolve("gantry").resolve(id)).doesNotExist();
                }
            }
        } catch (IOException e) {
            throw new AssertionError("listing " + CGROUP_ROOT, e);
        }
    }

    /** A fresh id, deleted after the test; random so that a name never prefixes another. */
    String newId(String label) {
        String id = label + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
        ids.add(id);
        return id;
    }

    OciBundle bundle(OciSpec spec) {
        return OciBundle.create(tmp.resolve("bundle" + ++bundles), spec.terminal(false));
    }

    /** The container's directory for a v1 controller (or "unified"), with {@code file} in it. */
    static Path cgroupFile(String controller, String id, String file) {
        return CGROUP_ROOT.resolve(controller).resolve("gantry").resolve(id).resolve(file);
    }

    static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new AssertionError("reading " + file, e);
        }
    }

    /** A numeric line "key value" of a flat-keyed cgroup file such as cpu.stat. */
    static long keyed(Path file, String key) {
        for (String line : read(file).split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                return Long.parseLong(kv[1]);
            }
        }
        throw new AssertionError(file + " has no " + key + ":\n" + read(file));
    }

    /** Opens (truncating) a file for a process's stdout and stderr; the caller closes the fd. */
    int outputFd(Path file) {
        return sys.open(file.toString(), Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_TRUNC | Syscalls.O_CLOEXEC, 0644);
    }

    /** Creates the container with stdout and stderr going to {@code out}. */
    ContainerRuntime.Created create(String id, OciBundle b, Path out) {
        int fd = outputFd(out);
        try {
            return rt.create(id, b.dir(), new CreateOptions(null, null, false, Map.of(1, fd, 2, fd)));
        } finally {
            sys.close(fd);
        }
    }

    /** Creates and starts the container, with its output in {@code out}. */
    ContainerRuntime.Created run(String id, OciBundle b, Path out) {
        ContainerRuntime.Created c = create(id, b, out);
        rt.start(id);
        return c;
    }

    /** What a short-lived container printed, and how it ended. */
    record Finished(ExitStatus status, String output) {}

    /** Runs the spec's process to its end and returns its output; the container is then deleted. */
    Finished runToEnd(String label, OciSpec spec) {
        return runToEnd(label, bundle(spec));
    }

    /** As {@link #runToEnd(String, OciSpec)} for a prepared bundle. */
    Finished runToEnd(String label, OciBundle b) {
        String id = newId(label);
        Path out = tmp.resolve(id + ".out");
        ContainerRuntime.Created c = run(id, b, out);
        ExitStatus status = rt.waitForInit(c);
        rt.delete(id, false);
        return new Finished(status, read(out));
    }

    /** Starts {@code args} in the container like the container's own process (same user, caps); output to {@code out}. */
    int exec(String id, Path out, String... args) {
        Process process = rt.store().load(id).spec().process().withArgs(List.of(args)).withTerminal(false);
        int fd = outputFd(out);
        try {
            int pid = rt.exec(id, process, new ContainerRuntime.ExecOptions(null, null, Map.of(1, fd, 2, fd)));
            children.add(pid);
            return pid;
        } finally {
            sys.close(fd);
        }
    }

    /** Waits for a process started by {@link #exec}. */
    ExitStatus waitExec(int pid) {
        ExitStatus status = rt.waitForChild(pid);
        children.remove(Integer.valueOf(pid));
        return status;
    }
}
