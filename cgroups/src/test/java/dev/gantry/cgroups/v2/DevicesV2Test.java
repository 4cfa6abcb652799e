package dev.gantry.cgroups.v2;

import dev.gantry.cgroups.RecordingSyscalls;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DevicesV2Test {
    @TempDir
    Path tmp;

    @Test
    void newProgramIsAttachedBeforeTheOldOnesAreDetached() {
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.attachedIds.add(41);
        new DevicesV2(tmp.resolve("c"), sys).apply(List.of(new LinuxDeviceCgroup(false, "c", 1L, 3L, "rwm")));
        assertThat(sys.calls).containsExactly(
                "openDirectory c",
                "query cgroup=100 type=6",
                "load type=15 insns=" + sys.loadedProgram.length / 8,
                "attach cgroup=100 prog=101 type=6 flags=2",
                "close 101",
                "fdById 41",
                "detach cgroup=100 prog=102 type=6",
                "close 102",
                "close 100");
    }

    @Test
    void absentRulesAttachNothing() {
        RecordingSyscalls sys = new RecordingSyscalls();
        new DevicesV2(tmp, sys).apply(null);
        new DevicesV2(tmp, sys).apply(List.of());
        assertThat(sys.calls).isEmpty();
    }
}
