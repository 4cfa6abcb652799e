package dev.gantry.base;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.function.BiConsumer;

/**
 * Recursive delete, size and walk of directory trees, never following symlinks: the trees Gantry
 * removes (layers, containers' files, state directories) hold links that point anywhere.
 */
public final class FileTrees {
    private FileTrees() {
    }

    public static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "removing " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bytes of the regular files under {@code dir}; a tree that changes while it is measured
     * (a running container's writable layer) gives an estimate (see {@link #walkPresent}).
     */
    public static long size(Path dir) {
        long[] sum = {0};
        try {
            walkPresent(dir, Integer.MAX_VALUE, (f, a) -> {
                if (a.isRegularFile()) {
                    sum[0] += a.size();
                }
            });
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "measuring " + dir + ": " + e.getMessage(), e);
        }
        return sum[0];
    }

    /**
     * Gives {@code each} every entry under {@code root}, itself included, to {@code depth} levels,
     * with its attributes, symlinks not followed. An entry that goes away while the walk runs (a
     * container's files, a cgroup being removed, a daemon's background deletion) is left out
     * rather than failing the walk; so is a root that does not exist.
     */
    public static void walkPresent(Path root, int depth, BiConsumer<Path, BasicFileAttributes> each) throws IOException {
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), depth, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                each.accept(d, a);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                each.accept(f, a);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException exc) throws IOException {
                // Reading the entry's attributes (or opening a directory) found it gone.
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                // The directory went away while its entries were listed.
                if (exc == null || exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }
        });
    }
}
