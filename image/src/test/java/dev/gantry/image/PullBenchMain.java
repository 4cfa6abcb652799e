package dev.gantry.image;

import dev.gantry.image.registry.CredentialStore;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.image.registry.RegistryConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * The Gantry side of bench/pull.sh: one cold pull (download, verify, unpack) into a fresh
 * store, printing the pull's own wall time and the peak heap the JVM used.
 */
public final class PullBenchMain {
    private PullBenchMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: PullBenchMain <store-dir> <reference>");
            System.exit(2);
        }
        ImageService images = ImageService.open(Path.of(args[0]),
                new RegistryClient(RegistryClient.defaultHttpClient(), RegistryConfig.DEFAULT, CredentialStore.NONE));
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong downloaded = new java.util.concurrent.atomic.AtomicLong();
        LocalImage img = images.pull(args[1], new PullOptions(dev.gantry.oci.image.Platform.LINUX_AMD64, e -> {
            if (e instanceof dev.gantry.image.progress.ProgressEvent.Completed) {
                downloaded.accumulateAndGet(System.nanoTime() - start, Math::max);
            }
        }));
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("pulled %s id=%s pull_seconds=%.3f last_download_done=%.3f peak_heap_mb=%.1f%n", args[1],
                img.id().hex().substring(0, 12), seconds, downloaded.get() / 1e9, peak / 1048576.0);
    }
}
