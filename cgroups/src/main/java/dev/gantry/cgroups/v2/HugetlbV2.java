package dev.gantry.cgroups.v2;

import dev.gantry.cgroups.Hugetlb;
import dev.gantry.oci.runtime.LinuxHugepageLimit;

import java.nio.file.Path;
import java.util.List;

/** The v2 hugetlb controller: {@code hugetlb.<size>.max} per page size. */
public final class HugetlbV2 {
    private final Path dir;

    public HugetlbV2(Path dir) {
        this.dir = dir;
    }

    public void apply(List<LinuxHugepageLimit> limits) {
        Hugetlb.apply(dir, limits, "max");
    }
}
