package dev.gantry.daemon.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.PathInfo;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PathStatsTest {
    @Test
    void unixModesBecomeGoFileModes() {
        assertThat(PathStats.fileMode(0100644)).isEqualTo(0644L);
        assertThat(PathStats.fileMode(040755)).isEqualTo((1L << 31) | 0755);
        assertThat(PathStats.fileMode(0120777)).isEqualTo((1L << 27) | 0777);
        assertThat(PathStats.fileMode(020666)).isEqualTo((1L << 26) | (1L << 21) | 0666);
        assertThat(PathStats.fileMode(0104755)).isEqualTo((1L << 23) | 0755);
        assertThat(PathStats.fileMode(041777)).isEqualTo((1L << 31) | (1L << 20) | 0777);
    }

    @Test
    void mtimeIsRfc3339() {
        var s = PathStats.of(new PathInfo("f", 3, 0100600, Instant.ofEpochSecond(1_000_000_000, 5), ""));
        assertThat(s.mtime()).isEqualTo("2001-09-09T01:46:40.000000005Z");
        assertThat(s.name()).isEqualTo("f");
        assertThat(s.size()).isEqualTo(3);
    }
}
