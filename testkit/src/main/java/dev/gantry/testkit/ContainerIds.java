package dev.gantry.testkit;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Container ids unique across concurrent JVMs and runs: a random part per JVM and a counter.
 * They are distinctive enough that a cgroup or path containing one belongs to that container.
 */
public final class ContainerIds {
    private static final String RUN = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private ContainerIds() {
    }

    /** A fresh id such as {@code gt-1a2b3c4d-7-pid1}; {@code label} says which test made it. */
    public static String next(String label) {
        String clean = label.replaceAll("[^A-Za-z0-9_.-]", "").toLowerCase();
        if (clean.length() > 24) {
            clean = clean.substring(0, 24);
        }
        return "gt-" + RUN + "-" + COUNTER.incrementAndGet() + (clean.isEmpty() ? "" : "-" + clean);
    }
}
