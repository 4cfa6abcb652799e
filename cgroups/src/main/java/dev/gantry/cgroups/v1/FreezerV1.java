package dev.gantry.cgroups.v1;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupFile;
import dev.gantry.cgroups.FreezerState;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The v1 freezer: write {@code FROZEN} or {@code THAWED} to {@code freezer.state} and wait
 * until the state reads the same. Freezing passes through {@code FREEZING} while tasks are
 * still being stopped; a task in an uninterruptible sleep can hold it there, so the request
 * is repeated while waiting, and on timeout the cgroup is thawed again rather than left
 * half frozen.
 */
public final class FreezerV1 {
    private static final String STATE = "freezer.state";
    private final Path dir;

    public FreezerV1(Path dir) {
        this.dir = dir;
    }

    public void freeze(Duration timeout) {
        try {
            transition(FreezerState.FROZEN, timeout);
        } catch (GantryException e) {
            if (e.kind() == ErrorKind.TIMEOUT) {
                CgroupFile.write(dir, STATE, "THAWED", "freezer");
            }
            throw e;
        }
    }

    public void thaw(Duration timeout) {
        transition(FreezerState.THAWED, timeout);
    }

    public FreezerState state() {
        return FreezerState.valueOf(CgroupFile.read(dir, STATE));
    }

    private void transition(FreezerState target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (true) {
            CgroupFile.write(dir, STATE, target.name(), "freezer");
            if (state() == target) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new GantryException(ErrorKind.TIMEOUT, dir.resolve(STATE) + " did not reach "
                        + target + " within " + timeout.toMillis() + " ms (still " + state() + ")");
            }
            sleep(pause);
            pause = Math.min(pause * 2, 50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while waiting for the freezer", e);
        }
    }
}
