package dev.gantry.image;

import dev.gantry.image.progress.ProgressEvent;
import dev.gantry.image.registry.CredentialStore;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.image.registry.RegistryConfig;
import dev.gantry.oci.image.Platform;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Gantry side of bench/pull.sh: one cold pull (download, verify, unpack) into a fresh
 * store, printing the pull's own wall time, the CPU time the process spent during it, and the
 * peak heap the JVM used. With a third argument, a first pull of the same image into that
 * other store warms the JVM up (as a running gantryd is), and only the second pull is timed.
 */
public final class PullBenchMain {
    private PullBenchMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: PullBenchMain <store-dir> <reference> [warm-up-store-dir]");
            System.exit(2);
        }
        RegistryClient registry = new RegistryClient(RegistryClient.defaultHttpClient(), RegistryConfig.DEFAULT,
                CredentialStore.NONE);
        if (args.length == 3) {
            ImageService.open(Path.of(args[2]), registry).pull(args[1], new PullOptions(Platform.LINUX_AMD64, e -> { }));
        }
        ImageService images = ImageService.open(Path.of(args[0]), registry);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        AtomicLong downloaded = new AtomicLong();
        LocalImage img = images.pull(args[1], new PullOptions(Platform.LINUX_AMD64, e -> {
            if (e instanceof ProgressEvent.Completed) {
                downloaded.accumulateAndGet(System.nanoTime() - start, Math::max);
            }
        }));
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("pulled %s id=%s pull_seconds=%.3f pull_cpu_seconds=%.2f last_download_done=%.3f peak_heap_mb=%.1f%n",
                args[1], img.id().hex().substring(0, 12), seconds, cpu, downloaded.get() / 1e9, peak / 1048576.0);
    }
}
