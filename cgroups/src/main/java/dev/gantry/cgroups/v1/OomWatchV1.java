package dev.gantry.cgroups.v1;

import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.OomWatch;
import dev.gantry.cgroups.sys.CgroupSyscalls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * v1 OOM notification (Documentation/admin-guide/cgroup-v1/memory.rst, "OOM Control"): an
 * eventfd is registered for {@code memory.oom_control} by writing
 * {@code "<eventfd> <fd of memory.oom_control>"} to {@code cgroup.event_control}; the kernel
 * then adds 1 to the eventfd at every OOM in the cgroup, and also signals it once when the
 * cgroup is removed. A second eventfd lets {@link #close} wake a waiting {@link #await}.
 */
public final class OomWatchV1 implements OomWatch {
    private final Path dir;
    private final CgroupSyscalls sys;
    private final int events;
    private final int wakeup;
    private volatile boolean closed;

    public OomWatchV1(Path memoryDir, CgroupSyscalls sys) {
        this.dir = memoryDir;
        this.sys = sys;
        this.events = sys.eventfd();
        int oomControl = -1;
        int wake = -1;
        try {
            oomControl = sys.openReadOnly(memoryDir.resolve("memory.oom_control"));
            CgroupFile.write(memoryDir, "cgroup.event_control", events + " " + oomControl,
                    "OOM notification");
            wake = sys.eventfd();
        } catch (RuntimeException e) {
            sys.close(events);
            throw e;
        } finally {
            // The kernel keeps its own reference to the cgroup; the control file is not needed.
            if (oomControl >= 0) {
                sys.close(oomControl);
            }
        }
        this.wakeup = wake;
    }

    @Override
    public long await(Duration timeout) {
        if (closed) {
            return 0;
        }
        List<Integer> ready = sys.pollReadable(List.of(events, wakeup), timeout);
        if (closed || !ready.contains(events)) {
            return 0;
        }
        long count = sys.readEventfd(events);
        if (!Files.isDirectory(dir)) {
            throw GantryException.notFound("the memory cgroup " + dir + " was removed");
        }
        return count;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sys.signalEventfd(wakeup, 1);
        sys.close(events);
        sys.close(wakeup);
    }
}
