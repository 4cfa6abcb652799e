package dev.gantry.cgroups.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.cgroups.Cgroups;
import dev.gantry.cgroups.sys.LinuxCgroupSyscalls;
import dev.gantry.testkit.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * favordynmods on this machine's real cgroup2 mount: the test clears it and makes the mount
 * nosuid,nodev,noexec (as systemd mounts it), has {@link Cgroups} set it, checks that nothing
 * else of the mount changed, and puts the mount back as it found it.
 */
@RequiresRoot
class FavorDynmodsRootTest {
    private static final String OPTION = "favordynmods";
    private static final long MS_RDONLY = 1;
    private static final long NOSUID_NODEV_NOEXEC = 2 | 4 | 8;

    /** A mount's own options (mountinfo field 6) and its super options (the last field). */
    private record Options(List<String> mount, List<String> fs) {
    }

    @Test
    void theOptionIsSetOnceAndTheMountKeepsItsOtherOptionsAndFlags() throws IOException {
        Cgroups host = Cgroups.host();
        assumeTrue(host.unifiedMount().isPresent(), "this host has no cgroup2 mount");
        Path mount = host.unifiedMount().orElseThrow();
        Options before = options(mount);
        LinuxCgroupSyscalls sys = new LinuxCgroupSyscalls();
        String without = before.fs().stream().filter(o -> !o.equals(OPTION)).collect(Collectors.joining(","));
        try {
            sys.remount(mount, flags(before.mount()) | NOSUID_NODEV_NOEXEC, without);
            Options prepared = options(mount);
            assertThat(prepared.fs()).doesNotContain(OPTION);
            assertThat(prepared.mount()).contains("nosuid", "nodev", "noexec");

            assertThat(Cgroups.host().favorDynamicModifications()).as("the first call sets it").isTrue();
            Options after = options(mount);
            assertThat(after.fs()).contains(OPTION).containsAll(prepared.fs());
            assertThat(after.mount()).as("the mount's own flags are kept").isEqualTo(prepared.mount());
            assertThat(Cgroups.host().favorDynamicModifications()).as("the second finds it set").isFalse();
            assertThat(options(mount)).isEqualTo(after);
        } finally {
            sys.remount(mount, flags(before.mount()), String.join(",", before.fs()));
        }
        assertThat(options(mount)).isEqualTo(before);
    }

    private static long flags(List<String> mountOptions) {
        long f = mountOptions.contains("ro") ? MS_RDONLY : 0;
        f |= mountOptions.contains("nosuid") ? 2 : 0;
        f |= mountOptions.contains("nodev") ? 4 : 0;
        f |= mountOptions.contains("noexec") ? 8 : 0;
        return f;
    }

    private static Options options(Path mount) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] before = line.substring(0, line.indexOf(" - ")).split(" ");
            String[] after = line.substring(line.indexOf(" - ") + 3).split(" ");
            if (after[0].equals("cgroup2") && before[4].equals(mount.toString())) {
                return new Options(Arrays.asList(before[5].split(",")), Arrays.asList(after[2].split(",")));
            }
        }
        throw new IllegalStateException("no cgroup2 mount at " + mount);
    }
}
