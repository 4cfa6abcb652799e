package dev.gantry.snapshot;

import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds layer tars in memory for tests, member by member. */
final class TarFixtures {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarWriter tar = new TarWriter(bytes);

    TarFixtures dir(String name, int mode) {
        return put(new TarEntry(name, TarEntry.Type.DIRECTORY, mode, 0, 0, "", "", 0, 1_600_000_000L, 0, "", 0, 0, Map.of()), null);
    }

    TarFixtures file(String name, String content) {
        return file(name, content, 0644, 0, 0, Map.of());
    }

    TarFixtures file(String name, String content, int mode, int uid, int gid, Map<String, byte[]> xattrs) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return put(new TarEntry(name, TarEntry.Type.REGULAR, mode, uid, gid, "", "", data.length, 1_600_000_123L, 0, "",
                0, 0, xattrs), data);
    }

    TarFixtures symlink(String name, String target) {
        return put(new TarEntry(name, TarEntry.Type.SYMLINK, 0777, 0, 0, "", "", 0, 1_600_000_000L, 0, target, 0, 0, Map.of()), null);
    }

    TarFixtures hardlink(String name, String target) {
        return put(new TarEntry(name, TarEntry.Type.HARDLINK, 0644, 0, 0, "", "", 0, 1_600_000_000L, 0, target, 0, 0, Map.of()), null);
    }

    TarFixtures device(String name, TarEntry.Type type, int major, int minor) {
        return put(new TarEntry(name, type, 0660, 0, 0, "", "", 0, 1_600_000_000L, 0, "", major, minor, Map.of()), null);
    }

    TarFixtures put(TarEntry e, byte[] data) {
        try {
            tar.putEntry(e);
            if (data != null) {
                tar.write(data, 0, data.length);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    byte[] build() {
        try {
            tar.finish();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }
}
