package dev.gantry.cgroups.v2;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.FreezerState;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The v2 freezer, part of every non-root cgroup2 directory: write 1 or 0 to
 * {@code cgroup.freeze}, then wait until {@code cgroup.events} reports {@code frozen} with
 * the same value (the kernel updates it once every task has stopped or resumed).
 */
public final class FreezerV2 {
    private final Path dir;

    public FreezerV2(Path dir) {
        this.dir = dir;
    }

    public void freeze(Duration timeout) {
        set(true, timeout);
    }

    public void thaw(Duration timeout) {
        set(false, timeout);
    }

    public FreezerState state() {
        return CgroupFile.readKeyed(dir, "cgroup.events").getOrDefault("frozen", 0L) == 1
                ? FreezerState.FROZEN : FreezerState.THAWED;
    }

    private void set(boolean frozen, Duration timeout) {
        CgroupFile.write(dir, "cgroup.freeze", frozen ? "1" : "0", "freezer");
        FreezerState target = frozen ? FreezerState.FROZEN : FreezerState.THAWED;
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (state() != target) {
            if (System.nanoTime() > deadline) {
                if (frozen) {
                    CgroupFile.write(dir, "cgroup.freeze", "0", "freezer");
                }
                throw new GantryException(ErrorKind.TIMEOUT, dir.resolve("cgroup.events")
                        + " did not report " + target + " within " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GantryException(ErrorKind.INTERNAL, "interrupted while waiting for " + dir, e);
            }
            pause = Math.min(pause * 2, 50);
        }
    }
}
