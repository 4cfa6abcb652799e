package dev.gantry.cgroups.v1;

import dev.gantry.cgroups.Hugetlb;
import dev.gantry.oci.runtime.LinuxHugepageLimit;

import java.nio.file.Path;
import java.util.List;

/** The v1 hugetlb controller: {@code hugetlb.<size>.limit_in_bytes} per page size. */
public final class HugetlbV1 {
    private final Path dir;

    public HugetlbV1(Path dir) {
        this.dir = dir;
    }

    public void apply(List<LinuxHugepageLimit> limits) {
        Hugetlb.apply(dir, limits, "limit_in_bytes");
    }
}
