package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaksTest {
    @Test
    void findsAProcessWhoseCommandLineNamesTheScope(@TempDir Path dir) throws Exception {
        Process process = new ProcessBuilder("/bin/sh", "-c", "sleep 30", dir.toString()).start();
        try {
            assertThat(Leaks.processes(dir)).extracting(Leaks.LeakedProcess::pid).contains(process.pid());
        } finally {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(Leaks.processes(dir)).isEmpty();
    }

    @Test
    void findsStateEntriesNamedAfterAnId(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("state/gt-abc-1"));
        Files.createDirectories(dir.resolve("state/other"));
        assertThat(Leaks.stateEntries(dir.resolve("state"), List.of("gt-abc-1")))
                .containsExactly(dir.resolve("state/gt-abc-1"));
        assertThat(Leaks.scan(dir, List.of("gt-abc-1"), dir.resolve("state")).describe())
                .contains("state entry " + dir.resolve("state/gt-abc-1"));
    }

    @Test
    void snapshotsCompare(@TempDir Path dir) {
        Leaks.Found before = new Leaks.Found(List.of("/a"), List.of(), List.of(new Leaks.LeakedProcess(1, "x")), List.of());
        Leaks.Found after = new Leaks.Found(List.of("/a", "/b"), List.of(Path.of("/sys/fs/cgroup/pids/c")),
                List.of(new Leaks.LeakedProcess(1, "x"), new Leaks.LeakedProcess(2, "y")), List.of());
        Leaks.Found diff = after.minus(before);
        assertThat(diff.mounts()).containsExactly("/b");
        assertThat(diff.processes()).extracting(Leaks.LeakedProcess::pid).containsExactly(2L);
        assertThat(diff.cgroups()).hasSize(1);
        assertThat(before.minus(before).isEmpty()).isTrue();
    }

    @Test
    @RequiresRoot
    void findsAProcessChrootedIntoTheScopeAndAMountBelowIt(@TempDir Path dir) throws Exception {
        Path rootfs = BusyboxRootfs.copyTo(dir.resolve("rootfs"));
        Process chrooted = new ProcessBuilder("chroot", rootfs.toString(), "/bin/sleep", "30").start();
        Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "gantry-leak-test", mountPoint.toString())
                .inheritIO().start();
        try {
            assertThat(mount.waitFor()).isZero();
            Deadline.await(Duration.ofSeconds(5), () -> !Leaks.processes(dir).isEmpty(), () -> "chrooted sleep seen");
            Leaks.Found found = Leaks.scan(dir, List.of(), null);
            assertThat(found.processes()).extracting(Leaks.LeakedProcess::pid).contains(chrooted.pid());
            assertThat(found.mounts()).containsExactly(mountPoint.toString());
        } finally {
            chrooted.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            assertThat(Libc.detach(mountPoint.toString())).isZero();
        }
        assertThat(Leaks.scan(dir, List.of(), null).isEmpty()).isTrue();
    }
}
