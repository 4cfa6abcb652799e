package dev.gantry.engine;

import java.time.Instant;

/**
 * What {@link Engine#logs} reads.
 *
 * @param stdout include stdout entries
 * @param stderr include stderr entries
 * @param follow after the existing entries, keep delivering new ones until the container stops
 * @param tail   only the last {@code tail} entries of the selected streams; negative: all
 * @param since  only entries at or after this time, or null
 * @param until  only entries before this time, or null
 */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, int tail, Instant since, Instant until) {
    public static final LogOptions ALL = new LogOptions(true, true, false, -1, null, null);
}
