package dev.gantry.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import org.junit.jupiter.api.Test;

class FavorDynmodsTest {
    @Test
    void theOptionIsAddedToTheMountsOtherSuperOptions() {
        RecordingSyscalls sys = new RecordingSyscalls();
        Cgroups cgroups = Cgroups.parse(
                "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n",
                sys);
        assertThat(cgroups.favorDynamicModifications()).as("this call set it").isTrue();
        assertThat(sys.calls).as("nosuid, nodev and noexec (2|4|8) given again").containsExactly(
                "remount /sys/fs/cgroup 14 rw,nsdelegate,memory_recursiveprot,favordynmods");
    }

    @Test
    void aReadOnlyMountStaysReadOnly() {
        RecordingSyscalls sys = new RecordingSyscalls();
        Cgroups cgroups = Cgroups.parse("30 23 0:26 / /sys/fs/cgroup ro,nosuid,relatime shared:4 - cgroup2 cgroup2 rw\n", sys);
        assertThat(cgroups.favorDynamicModifications()).isTrue();
        assertThat(sys.calls).containsExactly("remount /sys/fs/cgroup 3 rw,favordynmods");
    }

    @Test
    void nothingIsRemountedWhenTheOptionIsSetAlready() {
        RecordingSyscalls sys = new RecordingSyscalls();
        Cgroups cgroups = Cgroups.parse(CgroupsDetectTest.HYBRID.replace("cgroup2 cgroup2 rw", "cgroup2 cgroup2 rw,favordynmods"), sys);
        assertThat(cgroups.favorDynamicModifications()).isFalse();
        assertThat(sys.calls).isEmpty();
    }

    @Test
    void aHostWithoutCgroup2CannotHaveIt() {
        RecordingSyscalls sys = new RecordingSyscalls();
        Cgroups v1Only = Cgroups.parse(CgroupsDetectTest.HYBRID.lines().filter(l -> !l.contains("cgroup2"))
                .reduce("", (a, b) -> a + b + "\n"), sys);
        assertThatThrownBy(v1Only::favorDynamicModifications).isInstanceOf(GantryException.class)
                .hasMessageContaining("no cgroup2 hierarchy")
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(sys.calls).isEmpty();
    }
}
