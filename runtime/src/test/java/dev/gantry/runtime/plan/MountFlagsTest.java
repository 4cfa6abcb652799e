package dev.gantry.runtime.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MountFlagsTest {
    @Test
    void splitsFlagsPropagationAndData() {
        MountFlags f = MountFlags.parse(List.of("nosuid", "strictatime", "mode=755", "size=65536k", "rslave", "ro", "rw"), "m");
        assertThat(f.flags()).isEqualTo(MountFlags.MS_NOSUID | MountFlags.MS_STRICTATIME);
        assertThat(f.propagation()).isEqualTo(MountFlags.MS_SLAVE | MountFlags.MS_REC);
        assertThat(f.data()).isEqualTo("mode=755,size=65536k");
        assertThat(f.bind()).isFalse();
    }

    @Test
    void rbindIsRecursiveBind() {
        MountFlags f = MountFlags.parse(List.of("rbind"), "m");
        assertThat(f.bind()).isTrue();
        assertThat(f.recursive()).isTrue();
    }

    @Test
    void idmappedMountsAreRefusedByName() {
        assertThatThrownBy(() -> MountFlags.parse(List.of("idmap"), "mounts[3].options")).hasMessageContaining("mounts[3].options");
    }

    @Test
    void unknownRootfsPropagationIsRefused() {
        assertThat(MountFlags.rootfsPropagation(null)).isEqualTo(MountFlags.MS_SLAVE | MountFlags.MS_REC);
        assertThatThrownBy(() -> MountFlags.rootfsPropagation("sideways")).hasMessageContaining("linux.rootfsPropagation");
    }
}
