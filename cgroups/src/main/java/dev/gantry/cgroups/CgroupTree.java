package dev.gantry.cgroups;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Directory-level operations shared by the v1 and v2 managers. */
final class CgroupTree {
    private CgroupTree() {
    }

    /**
     * Makes every missing directory of {@code path} below {@code mount}, appending each one
     * made to {@code created} (top-down) so that a failed create can remove exactly those.
     */
    static void createDirectories(Path mount, CgroupsPath path, List<Path> created) {
        Path dir = mount;
        for (String segment : path.segments()) {
            dir = dir.resolve(segment);
            if (Files.isDirectory(dir)) {
                continue;
            }
            try {
                Files.createDirectory(dir);
                created.add(dir);
            } catch (FileAlreadyExistsException e) {
                // created concurrently by another runtime: it is a cgroup all the same
            } catch (IOException e) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "linux.cgroupsPath: cannot create "
                        + dir + ": " + reason(e), e);
            }
        }
    }

    /** Removes directories made by a failed create, deepest first, keeping the first error. */
    static void removeCreated(List<Path> created, RuntimeException failure) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Removes {@code dir} and the sub-cgroups below it, deepest first. rmdir answers EBUSY
     * while a process of the cgroup is still exiting; that is retried until the deadline.
     */
    static void removeTree(Path dir, long deadlineNanos) {
        // A container's cgroup is a leaf with no process left in the common case: one rmdir.
        // Walking it would stat each of its dozens of control files first.
        try {
            Files.deleteIfExists(dir);
            return;
        } catch (IOException busyOrParent) {
            // sub-cgroups below it, or a process still exiting: the careful path below
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(dir)) {
            dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "listing " + dir + ": " + reason(e), e);
        }
        for (Path d : dirs) {
            removeOne(d, deadlineNanos);
        }
    }

    private static void removeOne(Path dir, long deadlineNanos) {
        long pause = 1;
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (FileSystemException e) {
                if (!"Device or resource busy".equals(e.getReason()) || System.nanoTime() > deadlineNanos) {
                    throw new GantryException(ErrorKind.UNAVAILABLE, "cannot remove cgroup " + dir + ": "
                            + reason(e) + " (processes still in it: " + pids(dir) + ")", e);
                }
            } catch (IOException e) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "cannot remove cgroup " + dir + ": " + reason(e), e);
            }
            sleep(pause);
            pause = Math.min(pause * 2, 20);
        }
    }

    /** Pids in {@code dir} and all its sub-cgroups, ascending; empty when it does not exist. */
    static List<Long> pids(Path dir) {
        TreeSet<Long> pids = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        // A directory's link count is 2 plus its subdirectories (kernfs keeps it so): a leaf
        // cgroup needs one read, not a walk that stats every control file.
        int links;
        try {
            links = (Integer) Files.getAttribute(dir, "unix:nlink");
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "listing processes of " + dir + ": " + reason(e), e);
        }
        try {
            for (Path d : links <= 2 ? List.of(dir) : subtree(dir)) {
                try {
                    for (String line : Files.readAllLines(d.resolve("cgroup.procs"))) {
                        if (!line.isBlank()) {
                            pids.add(Long.parseLong(line.strip()));
                        }
                    }
                } catch (NoSuchFileException e) {
                    // a sub-cgroup removed while listing has no processes to report
                } catch (IOException e) {
                    // A cgroup removed between the open and the read answers ENODEV (the kernel's
                    // css is offline): gone by now, it has no processes either.
                    if (Files.exists(d)) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "listing processes of " + dir + ": " + reason(e), e);
        }
        return List.copyOf(pids);
    }

    /**
     * The cgroup directories of {@code dir}'s subtree. A sub-cgroup removed during the walk ends
     * it early (NoSuchFileException, wrapped): walk again, from what is left.
     */
    private static List<Path> subtree(Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> walk = Files.walk(dir)) {
                return walk.filter(Files::isDirectory).toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 3) {
                    throw e.getCause();
                }
            } catch (NoSuchFileException e) {
                return List.of();
            }
        }
    }

    /** Waits until no process is left in {@code dir}'s subtree. */
    static void awaitEmpty(Path dir, long deadlineNanos) {
        long pause = 1;
        while (!pids(dir).isEmpty()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new GantryException(ErrorKind.TIMEOUT, "processes " + pids(dir) + " of " + dir
                        + " still alive after SIGKILL");
            }
            sleep(pause);
            pause = Math.min(pause * 2, 20);
        }
    }

    /**
     * Makes cgroup2 controllers available in {@code dir}: each must be listed in the mount
     * root's {@code cgroup.controllers}, and is added ("+name") to {@code cgroup.subtree_control}
     * of every ancestor from the root down to the parent of {@code dir}, where not already on.
     *
     * @param fields controller name to the OCI field that needs it, for the error message
     */
    static void enableControllers(Path mount, Path dir, Map<String, String> fields) {
        if (fields.isEmpty()) {
            return;
        }
        List<String> available = List.of(CgroupFile.read(mount, "cgroup.controllers").split("\\s+"));
        for (Map.Entry<String, String> entry : fields.entrySet()) {
            if (!available.contains(entry.getKey())) {
                throw new GantryException(ErrorKind.UNAVAILABLE, entry.getValue() + ": the cgroup2 hierarchy at "
                        + mount + " has no " + entry.getKey() + " controller (it offers " + available + ")");
            }
        }
        List<Path> ancestors = new ArrayList<>();
        for (Path p = dir.getParent(); p != null && p.startsWith(mount); p = p.getParent()) {
            ancestors.addFirst(p);
        }
        for (Path ancestor : ancestors) {
            List<String> enabled = List.of(CgroupFile.read(ancestor, "cgroup.subtree_control").split("\\s+"));
            for (Map.Entry<String, String> entry : fields.entrySet()) {
                if (!enabled.contains(entry.getKey())) {
                    CgroupFile.write(ancestor, "cgroup.subtree_control", "+" + entry.getKey(), entry.getValue());
                }
            }
        }
    }

    static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while waiting for a cgroup", e);
        }
    }

    private static String reason(IOException e) {
        return e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : String.valueOf(e.getMessage());
    }
}
