package dev.gantry.base;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Recursive delete and size of directory trees, never following symlinks: the trees Gantry
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
     * The bytes of the regular files under {@code dir}. A file or directory that goes away while
     * the walk runs (a running container's writable layer) is left out rather than failing the
     * whole measurement: the size of a tree that changes is an estimate anyway.
     */
    public static long size(Path dir) {
        long[] sum = {0};
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    if (a.isRegularFile()) {
                        sum[0] += a.size();
                    }
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
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "measuring " + dir + ": " + e.getMessage(), e);
        }
        return sum[0];
    }
}
