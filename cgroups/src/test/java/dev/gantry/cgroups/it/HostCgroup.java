package dev.gantry.cgroups.it;

import dev.gantry.cgroups.CgroupManager;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.cgroups.CgroupsPath;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's cgroup on the real host, below a parent unique to this JVM, and the processes it
 * started. {@link #close} kills the processes, destroys the cgroup and removes the parent in
 * every hierarchy, whatever state the test left them in.
 */
final class HostCgroup implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final Cgroups cgroups;
    private final String parent;
    final CgroupManager manager;
    private final List<Process> processes = new ArrayList<>();

    private HostCgroup(Cgroups cgroups, boolean unifiedOnly) {
        this.cgroups = cgroups;
        this.parent = "gantry-it-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        CgroupsPath path = CgroupsPath.of("/" + parent + "/c", "c");
        this.manager = unifiedOnly ? cgroups.unifiedManager(path) : cgroups.manager(path);
    }

    static HostCgroup of(Cgroups cgroups) {
        return new HostCgroup(cgroups, false);
    }

    static HostCgroup unified(Cgroups cgroups) {
        return new HostCgroup(cgroups, true);
    }

    /**
     * Starts {@code /bin/sh -c script} held at a {@code read} until it is a member of the
     * cgroup, so that everything the script runs is inside from the start.
     */
    Process startInside(String script) throws IOException {
        Process process = new ProcessBuilder("/bin/sh", "-c", "read go; " + script)
                .redirectErrorStream(true).start();
        processes.add(process);
        manager.addProcess(process.pid());
        OutputStream stdin = process.getOutputStream();
        stdin.write('\n');
        stdin.flush();
        return process;
    }

    static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes());
    }

    @Override
    public void close() throws Exception {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (manager.exists()) {
            // A frozen cgroup would keep SIGKILLed processes alive.
            manager.thaw(Duration.ofSeconds(5));
            manager.killAll(Duration.ofSeconds(10));
        }
        for (Process process : processes) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        manager.destroy(Duration.ofSeconds(10));
        List<Path> roots = new ArrayList<>(cgroups.v1Mounts().values());
        cgroups.unifiedMount().ifPresent(roots::add);
        for (Path root : roots) {
            Files.deleteIfExists(root.resolve(parent));
        }
    }
}
