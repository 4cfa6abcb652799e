package dev.gantry.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * Options of create (and of run).
 *
 * @param console where the terminal's master goes; required when process.terminal is true
 * @param pidFile file to write the init's host pid to, or null
 * @param noPivot use MS_MOVE + chroot instead of pivot_root (for a rootfs on ramfs)
 * @param stdio   child fd (0–2) → our fd for the init's stdio; fds not given are inherited
 */
public record CreateOptions(Console console, Path pidFile, boolean noPivot, Map<Integer, Integer> stdio) {
    public CreateOptions {
        stdio = Map.copyOf(stdio);
    }

    public static CreateOptions defaults() {
        return new CreateOptions(null, null, false, Map.of());
    }
}
