package dev.gantry.oci.runtime;

/** hugetlb limit: {@code pageSize} like "2MB", {@code limit} in bytes (uint64). */
public record LinuxHugepageLimit(String pageSize, @Uint64 Long limit) {
}
