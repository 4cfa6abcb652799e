package dev.gantry.testkit;

import dev.gantry.base.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * What a container can leave behind on the host: mounts below a test directory, cgroups whose
 * name contains a container id, processes whose root directory is a rootfs below the test
 * directory (or whose command line names it), and entries in the runtime's state root named
 * after a container id. {@link #scan} takes a snapshot; {@link Found#minus} compares two.
 */
public final class Leaks {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final int CGROUP_DEPTH = 6;
    private static final int ROOTFS_DEPTH = 4;

    /** A process found in the scope. */
    public record LeakedProcess(long pid, String cmdline) {
    }

    /** The result of one scan. */
    public record Found(List<String> mounts, List<Path> cgroups, List<LeakedProcess> processes,
                        List<Path> stateEntries) {
        public boolean isEmpty() {
            return mounts.isEmpty() && cgroups.isEmpty() && processes.isEmpty() && stateEntries.isEmpty();
        }

        /** What is in this scan but not in {@code before}. */
        public Found minus(Found before) {
            Set<Long> oldPids = new HashSet<>();
            before.processes.forEach(p -> oldPids.add(p.pid()));
            return new Found(
                    mounts.stream().filter(m -> !before.mounts.contains(m)).toList(),
                    cgroups.stream().filter(c -> !before.cgroups.contains(c)).toList(),
                    processes.stream().filter(p -> !oldPids.contains(p.pid())).toList(),
                    stateEntries.stream().filter(s -> !before.stateEntries.contains(s)).toList());
        }

        public String describe() {
            if (isEmpty()) {
                return "nothing left behind";
            }
            StringBuilder out = new StringBuilder("left behind:");
            mounts.forEach(m -> out.append("\n  mount ").append(m));
            cgroups.forEach(c -> out.append("\n  cgroup ").append(c));
            processes.forEach(p -> out.append("\n  process ").append(p.pid()).append(' ').append(p.cmdline()));
            stateEntries.forEach(s -> out.append("\n  state entry ").append(s));
            return out.toString();
        }
    }

    private Leaks() {
    }

    /**
     * Scans for leftovers of the containers {@code ids} whose bundles live below {@code scope}
     * and whose runtime state root is {@code stateRoot} (may be null).
     */
    public static Found scan(Path scope, Collection<String> ids, Path stateRoot) {
        return new Found(Mountinfo.under(scope), cgroups(ids), processes(scope),
                stateRoot == null ? List.of() : stateEntries(stateRoot, ids));
    }

    /**
     * Removes what a daemon's containers {@code ids} left below its directory {@code scope}: every
     * mount there, deepest first and lazily ({@code umount -l}, so that a busy one cannot stop the
     * clean-up), the cgroups named after the ids with the cgroups nested in them, then the
     * directory itself. A cgroup that cannot be removed does not stop the rest; the first
     * failure is thrown at the end, with the others suppressed.
     */
    public static void remove(Path scope, Collection<String> ids) throws IOException, InterruptedException {
        List<String> mounts = new ArrayList<>(Mountinfo.under(scope));
        mounts.sort((a, b) -> b.length() - a.length());
        for (String m : mounts) {
            new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
        }
        List<IOException> failures = new ArrayList<>();
        for (Path cg : cgroupTrees(cgroups(ids), failures)) {
            try {
                Files.deleteIfExists(cg);
            } catch (IOException e) {
                failures.add(e);
            }
        }
        try {
            TestFiles.delete(scope);
        } catch (UncheckedIOException e) {
            failures.add(e.getCause());
        }
        if (!failures.isEmpty()) {
            IOException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * The cgroup directories {@code roots} and every cgroup below them, children before their
     * parent: rmdir(2) on a cgroup that still has a child fails with EBUSY. A tree that cannot
     * be walked adds to {@code failures}.
     */
    private static List<Path> cgroupTrees(List<Path> roots, List<IOException> failures) {
        Set<Path> all = new HashSet<>();
        for (Path root : roots) {
            try {
                all.addAll(find(root, Integer.MAX_VALUE, (path, attrs) -> attrs.isDirectory()));
            } catch (IOException e) {
                failures.add(e);
            }
        }
        List<Path> deepestFirst = new ArrayList<>(all);
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return deepestFirst;
    }

    /** Cgroup directories under any hierarchy of /sys/fs/cgroup whose name contains one of the ids. */
    public static List<Path> cgroups(Collection<String> ids) {
        if (ids.isEmpty() || !Files.isDirectory(CGROUP_ROOT)) {
            return List.of();
        }
        try {
            return find(CGROUP_ROOT, CGROUP_DEPTH, (path, attrs) -> attrs.isDirectory() && containsAny(path.getFileName().toString(), ids));
        } catch (IOException e) {
            throw new AssertionError("cannot walk " + CGROUP_ROOT, e);
        }
    }

    /**
     * Processes whose root directory is one of the directories below {@code scope} (a container
     * pivoted into a rootfs there) or whose command line mentions {@code scope}.
     */
    public static List<LeakedProcess> processes(Path scope) {
        Set<Object> rootKeys = directoryKeys(scope);
        String scopeText = scope.toString();
        long self = ProcessHandle.current().pid();
        List<LeakedProcess> found = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p))) {
            for (Path dir : proc) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                String cmdline = cmdline(dir);
                if (cmdline == null) {
                    continue;
                }
                if (cmdline.contains(scopeText) || rootKeys.contains(rootKey(dir))) {
                    found.add(new LeakedProcess(pid, cmdline));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return found;
    }

    /** Paths below the state root whose name contains a container id. */
    public static List<Path> stateEntries(Path stateRoot, Collection<String> ids) {
        if (ids.isEmpty() || !Files.isDirectory(stateRoot)) {
            return List.of();
        }
        try {
            return find(stateRoot, Integer.MAX_VALUE, (p, attrs) -> !p.equals(stateRoot) && containsAny(p.getFileName().toString(), ids));
        } catch (IOException e) {
            throw new AssertionError("cannot walk " + stateRoot, e);
        }
    }

    private static Set<Object> directoryKeys(Path scope) {
        Set<Object> keys = new HashSet<>();
        if (!Files.isDirectory(scope, LinkOption.NOFOLLOW_LINKS)) {
            return keys;
        }
        try {
            for (Path p : find(scope, ROOTFS_DEPTH, (p, attrs) -> attrs.isDirectory())) {
                Object key = fileKey(p);
                if (key != null) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot walk " + scope, e);
        }
        return keys;
    }

    /** The paths below {@code root} (itself included, to {@code depth} levels) that {@code matches} accepts; see {@link FileTrees#walkPresent}. */
    private static List<Path> find(Path root, int depth, BiPredicate<Path, BasicFileAttributes> matches) throws IOException {
        List<Path> found = new ArrayList<>();
        FileTrees.walkPresent(root, depth, (p, attrs) -> {
            if (matches.test(p, attrs)) {
                found.add(p);
            }
        });
        return found;
    }

    private static Object rootKey(Path procDir) {
        // Following the magic link reaches the process's root even in another mount namespace.
        return fileKey(procDir.resolve("root/"));
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String cmdline(Path procDir) {
        try {
            byte[] raw = Files.readAllBytes(procDir.resolve("cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isPid(Path path) {
        String name = path.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private static boolean containsAny(String name, Collection<String> ids) {
        for (String id : ids) {
            if (name.contains(id)) {
                return true;
            }
        }
        return false;
    }
}
