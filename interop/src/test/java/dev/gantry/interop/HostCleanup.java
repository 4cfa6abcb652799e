package dev.gantry.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Undoes what a peer daemon may leave behind under a test's private directory: processes, mounts, files. */
final class HostCleanup {

    private static final Duration UMOUNT_TIMEOUT = Duration.ofSeconds(30);

    private HostCleanup() {
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone. */
    static void terminate(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillRunning) {
            process.destroyForcibly();
            process.onExit().orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS).join();
        }
    }

    /**
     * Kills every process whose command line mentions {@code marker}, such as containerd shims
     * that daemonized away from the daemon that started them but name its private socket.
     */
    static void terminateMentioning(String marker, Duration grace) {
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(marker)).orElse(false))
                .forEach(p -> terminate(p, grace));
    }

    /** Lazily unmounts every mount point at or below {@code dir} in this mount namespace, deepest first. */
    static void unmountUnder(Path dir) {
        List<String> points = new ArrayList<>();
        String prefix = dir.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                // Field 5 of mountinfo(5) is the mount point, with spaces and the like octal-escaped.
                String point = unescape(line.split(" ")[4]);
                if (point.equals(prefix) || point.startsWith(prefix + "/")) {
                    points.add(point);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
        points.sort(Comparator.comparingInt(String::length).reversed());
        for (String point : points) {
            HostCommand.run(Map.of(), UMOUNT_TIMEOUT, List.of("umount", "-l", point));
        }
    }

    /** Deletes {@code dir} recursively without following symbolic links. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
