package dev.gantry.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: tests wait exactly as long as needed. */
public final class Deadline {
    private static final long POLL_MILLIS = 10;

    private Deadline() {
    }

    /** Returns whether the condition became true before the timeout. */
    public static boolean poll(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - end > 0) {
                return false;
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Like {@link #poll} but fails with {@code description} (evaluated at the end) on timeout. */
    public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
        if (!poll(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: "
                    + description.get());
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }
}
