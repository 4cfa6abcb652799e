package dev.gantry.runtime.plan;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostFactsTest {
    @Test
    void parsesHybridMountinfo() {
        var hs = HostFacts.hierarchies(List.of(
                "30 25 0:26 / /sys/fs/cgroup/cpu rw,relatime shared:10 - cgroup cgroup rw,cpu",
                "31 25 0:27 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
                "32 25 0:28 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
                "33 25 0:29 / /tmp rw - tmpfs tmpfs rw"));
        assertThat(hs).containsExactly(
                new HostFacts.CgroupHierarchy(Path.of("/sys/fs/cgroup/cpu"), false, "cpu"),
                new HostFacts.CgroupHierarchy(Path.of("/sys/fs/cgroup/systemd"), false, "name=systemd"),
                new HostFacts.CgroupHierarchy(Path.of("/sys/fs/cgroup/unified"), true, ""));
    }

    @Test
    void parsesLimitsAndCapabilities() {
        var limits = HostFacts.hardLimits(List.of(
                "Limit                     Soft Limit           Hard Limit           Units",
                "Max open files            1024                 20000                files",
                "Max core file size        0                    unlimited            bytes"));
        assertThat(limits).containsEntry(7, 20000L).containsEntry(4, -1L);
        assertThat(HostFacts.hasEffectiveCap(List.of("CapEff:\t000001fffeffffff"), 24)).isFalse();
        assertThat(HostFacts.hasEffectiveCap(List.of("CapEff:\t000001ffffffffff"), 24)).isTrue();
    }

    @Test
    void parsesOwnCgroups() {
        assertThat(HostFacts.ownCgroups(List.of("4:memory:/user.slice", "0::/init.scope")))
                .containsEntry("memory", "/user.slice").containsEntry("", "/init.scope");
    }
}
