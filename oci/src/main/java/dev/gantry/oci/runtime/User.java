package dev.gantry.oci.runtime;

import java.util.List;

/**
 * The process's credentials. Ids are uint32 in the spec and held in a {@code long} (validated
 * to [0, 2^32-1]); {@code umask == null} means the runtime's default.
 */
public record User(long uid, long gid, Long umask, List<Long> additionalGids, String username) {

    public List<Long> additionalGidsOrEmpty() {
        return additionalGids == null ? List.of() : additionalGids;
    }
}
