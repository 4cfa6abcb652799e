package dev.gantry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCpuTest {
    @Test
    void sumsTheFirstLineInNanosAndCountsCpus() {
        var s = HostCpu.parse("cpu  10 1 5 100 2 0 1 0 7 0\ncpu0 5 0 3 50 1 0 1 0 0 0\ncpu1 5 1 2 50 1 0 0 0 0 0\nintr 1\n");
        // user+nice+system+idle+iowait+irq+softirq+steal = 119 ticks; guest (7) is part of user already.
        assertThat(s.systemCpuNanos()).isEqualTo(119 * 10_000_000L);
        assertThat(s.onlineCpus()).isEqualTo(2);
    }

    @Test
    void readsPercpuAndMemTotal(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("percpu"), "123 456 \n");
        Files.writeString(dir.resolve("meminfo"), "MemTotal:        2048 kB\nMemFree: 1 kB\n");
        assertThat(HostCpu.percpu(dir.resolve("percpu"))).containsExactly(123L, 456L);
        assertThat(HostCpu.percpu(dir.resolve("absent"))).isEmpty();
        assertThat(HostCpu.memoryBytes(dir.resolve("meminfo"))).isEqualTo(2048L * 1024);
    }
}
