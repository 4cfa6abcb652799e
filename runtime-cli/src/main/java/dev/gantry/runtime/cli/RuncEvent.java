package dev.gantry.runtime.cli;

import dev.gantry.cgroups.CgroupStats;
import dev.gantry.runtime.ContainerEvent;

import java.util.List;
import java.util.Map;

/**
 * One line of {@code events} output in runc's shape: {@code {"type":"stats","id":…,"data":{…}}}
 * with runc's field names for cpu, memory, pids and blkio (what shims and monitoring tools
 * parse), or {@code {"type":"oom","id":…}}. Counters the host does not keep are left out
 * rather than reported as zero.
 */
record RuncEvent(String type, String id, Data data) {
    static RuncEvent of(ContainerEvent event) {
        return switch (event) {
            case ContainerEvent.Stats s -> new RuncEvent("stats", s.id(), Data.of(s.stats()));
            case ContainerEvent.Oom o -> new RuncEvent("oom", o.id(), null);
        };
    }

    record Data(Cpu cpu, Memory memory, Pids pids, Blkio blkio) {
        static Data of(CgroupStats s) {
            return new Data(s.cpu().map(Cpu::of).orElse(null), s.memory().map(Memory::of).orElse(null),
                    s.pids().map(Pids::of).orElse(null), s.blkio().map(Blkio::of).orElse(null));
        }
    }

    /** Nanoseconds of CPU time; throttling as CFS bandwidth control counts it. */
    record Cpu(Usage usage, Throttling throttling) {
        static Cpu of(CgroupStats.Cpu c) {
            return new Cpu(new Usage(c.usageNanos(), c.systemNanos(), c.userNanos()),
                    new Throttling(c.periods(), c.throttledPeriods(), c.throttledNanos()));
        }
    }

    record Usage(long total, long kernel, long user) {}

    record Throttling(long periods, long throttledPeriods, long throttledTime) {}

    record Memory(long cache, MemoryEntry usage, MemoryEntry swap, Map<String, Long> raw) {
        static Memory of(CgroupStats.Memory m) {
            return new Memory(m.cache(), new MemoryEntry(m.limit(), m.usage(), m.maxUsage() == 0 ? null : m.maxUsage()),
                    new MemoryEntry(null, m.swapUsage(), null), m.raw());
        }
    }

    record MemoryEntry(Long limit, long usage, Long max) {}

    record Pids(long current, Long limit) {
        static Pids of(CgroupStats.Pids p) {
            return new Pids(p.current(), p.limit() == Long.MAX_VALUE ? null : p.limit());
        }
    }

    record Blkio(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive) {
        static Blkio of(CgroupStats.Blkio b) {
            return new Blkio(b.bytes().stream().map(BlkioEntry::of).toList(),
                    b.operations().stream().map(BlkioEntry::of).toList());
        }
    }

    record BlkioEntry(long major, long minor, String op, long value) {
        static BlkioEntry of(CgroupStats.BlkioEntry e) {
            return new BlkioEntry(e.major(), e.minor(), e.operation(), e.value());
        }
    }
}
