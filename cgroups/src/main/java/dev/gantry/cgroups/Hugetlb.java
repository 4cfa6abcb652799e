package dev.gantry.cgroups;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxHugepageLimit;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * hugetlb limits, common to both versions: one file per page size, named
 * {@code hugetlb.<size>.<suffix>} (v1 {@code limit_in_bytes}, v2 {@code max}). The page size
 * is checked before it becomes part of a file name.
 */
public final class Hugetlb {
    private static final Pattern PAGE_SIZE = Pattern.compile("[0-9]+[KMG]B");

    private Hugetlb() {
    }

    public static void apply(Path dir, List<LinuxHugepageLimit> limits, String suffix) {
        if (limits == null) {
            return;
        }
        for (int i = 0; i < limits.size(); i++) {
            LinuxHugepageLimit limit = limits.get(i);
            String field = "linux.resources.hugepageLimits[" + i + "]";
            if (limit.pageSize() == null || !PAGE_SIZE.matcher(limit.pageSize()).matches()) {
                throw GantryException.invalid(field + ".pageSize \"" + limit.pageSize()
                        + "\" is not a size such as 2MB or 1GB");
            }
            CgroupFile.write(dir, "hugetlb." + limit.pageSize() + "." + suffix,
                    Long.toUnsignedString(limit.limit() == null ? 0 : limit.limit()), field + ".limit");
        }
    }
}
