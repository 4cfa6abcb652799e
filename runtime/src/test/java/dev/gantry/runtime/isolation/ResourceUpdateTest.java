package dev.gantry.runtime.isolation;

import dev.gantry.oci.runtime.LinuxBlockIo;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxPids;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.runtime.ResourceUpdate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The arithmetic of update, without a kernel. */
class ResourceUpdateTest {
    private static LinuxMemory memory(Long limit, Long swap) {
        return new LinuxMemory(limit, null, swap, null, null, null, null, null, null);
    }

    private static LinuxCpu cpu(Long shares, Long quota, Long period) {
        return new LinuxCpu(shares, quota, null, period, null, null, null, null, null);
    }

    private static LinuxResources resources(LinuxMemory m, LinuxCpu c, LinuxPids p) {
        return new LinuxResources(null, m, c, p, null, null, null, null, null);
    }

    @Test
    void absentFieldsKeepTheirValuesAndGivenOnesReplaceThem() {
        LinuxResources current = new LinuxResources(List.of(new LinuxDeviceCgroup(false, null, null, null, "rwm")),
                memory(100L, 200L), cpu(512L, 10_000L, 100_000L), new LinuxPids(10L),
                new LinuxBlockIo(300, null, null, null, null, null, null), null, null, null, Map.of("a", "1"));
        LinuxResources change = new LinuxResources(null, memory(150L, null), cpu(null, 20_000L, null), null, null,
                null, null, null, Map.of("b", "2"));

        LinuxResources merged = ResourceUpdate.merge(current, change);

        assertThat(merged.memory().limit()).isEqualTo(150);
        assertThat(merged.memory().swap()).isEqualTo(200);
        assertThat(merged.cpu().shares()).isEqualTo(512);
        assertThat(merged.cpu().quota()).isEqualTo(20_000);
        assertThat(merged.cpu().period()).isEqualTo(100_000);
        assertThat(merged.pids().limit()).isEqualTo(10);
        assertThat(merged.blockIO().weight()).isEqualTo(300);
        assertThat(merged.devices()).isEqualTo(current.devices());
        assertThat(merged.unified()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
    }

    @Test
    void givenListsReplaceTheCurrentOnes() {
        LinuxResources current = new LinuxResources(List.of(new LinuxDeviceCgroup(false, null, null, null, "rwm")),
                null, null, null, null, null, null, null, null);
        List<LinuxDeviceCgroup> replacement = List.of(new LinuxDeviceCgroup(true, "c", 1L, 3L, "rw"));
        LinuxResources merged = ResourceUpdate.merge(current,
                new LinuxResources(replacement, null, null, null, null, null, null, null, null));
        assertThat(merged.devices()).isEqualTo(replacement);
    }

    @Test
    void mergingIntoNothingOrWithNothingKeepsTheOtherSide() {
        LinuxResources r = resources(memory(1L, 1L), null, null);
        assertThat(ResourceUpdate.merge(null, r)).isSameAs(r);
        assertThat(ResourceUpdate.merge(r, null)).isSameAs(r);
    }

    @Test
    void swapFollowsANewLimitOnlyWhileSwapIsDisabled() {
        LinuxResources disabled = resources(memory(100L, 100L), null, null);
        LinuxResources request = resources(memory(300L, null), null, null);
        assertThat(ResourceUpdate.effective(disabled, request).memory().swap()).isEqualTo(300);

        LinuxResources swapAllowed = resources(memory(100L, 500L), null, null);
        assertThat(ResourceUpdate.effective(swapAllowed, request)).isSameAs(request);

        LinuxResources explicitSwap = resources(memory(300L, 400L), null, null);
        assertThat(ResourceUpdate.effective(disabled, explicitSwap)).isSameAs(explicitSwap);

        LinuxResources noLimit = resources(null, cpu(null, 5000L, null), null);
        assertThat(ResourceUpdate.effective(disabled, noLimit)).isSameAs(noLimit);
        assertThat(ResourceUpdate.effective(null, request)).isSameAs(request);
    }
}
