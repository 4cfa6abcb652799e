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
 * favordynmods on this machine's real cgroup2 mount: the test clears it, has {@link Cgroups}
 * set it, and puts the mount back as it found it.
 */
@RequiresRoot
class FavorDynmodsRootTest {
    private static final String OPTION = "favordynmods";

    @Test
    void theOptionIsSetOnceAndTheMountKeepsItsOtherOptions() throws IOException {
        Cgroups host = Cgroups.host();
        assumeTrue(host.unifiedMount().isPresent(), "this host has no cgroup2 mount");
        Path mount = host.unifiedMount().orElseThrow();
        List<String> before = superOptions(mount);
        LinuxCgroupSyscalls sys = new LinuxCgroupSyscalls();
        String without = before.stream().filter(o -> !o.equals(OPTION)).collect(Collectors.joining(","));
        try {
            sys.remount(mount, without);
            assertThat(superOptions(mount)).doesNotContain(OPTION);

            assertThat(Cgroups.host().favorDynamicModifications()).as("the first call sets it").isTrue();
            List<String> after = superOptions(mount);
            assertThat(after).contains(OPTION).containsAll(before.stream().filter(o -> !o.equals(OPTION)).toList());
            assertThat(Cgroups.host().favorDynamicModifications()).as("the second finds it set").isFalse();
            assertThat(superOptions(mount)).isEqualTo(after);
        } finally {
            sys.remount(mount, String.join(",", before));
        }
        assertThat(superOptions(mount)).isEqualTo(before);
    }

    /** The super options of the cgroup2 mount at {@code mount}, from this process's mountinfo. */
    private static List<String> superOptions(Path mount) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] before = line.substring(0, line.indexOf(" - ")).split(" ");
            String[] after = line.substring(line.indexOf(" - ") + 3).split(" ");
            if (after[0].equals("cgroup2") && before[4].equals(mount.toString())) {
                return Arrays.asList(after[2].split(","));
            }
        }
        throw new IllegalStateException("no cgroup2 mount at " + mount);
    }
}
