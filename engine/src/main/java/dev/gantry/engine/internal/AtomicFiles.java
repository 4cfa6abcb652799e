package dev.gantry.engine.internal;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file replacement that a crash cannot tear: the new content goes to a temporary file
 * in the same directory, is fsync'ed, renamed over the target (rename(2) is atomic within a
 * file system), and the directory is fsync'ed so that the rename itself is durable. After a
 * {@code kill -9} at any point the target holds either the old or the new content.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "writing " + target + ": " + e.getMessage(), e);
        }
    }
}
