package dev.gantry.cgroups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A temp directory shaped like a kernel cgroup directory: the named files exist, with contents. */
public final class FakeCgroupDir {
    private FakeCgroupDir() {
    }

    /** Creates {@code dir} and, for each pair, a file with that content. */
    public static Path at(Path dir, String... namesAndContents) {
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < namesAndContents.length; i += 2) {
                Files.writeString(dir.resolve(namesAndContents[i]), namesAndContents[i + 1]);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates empty files. */
    public static Path withFiles(Path dir, String... names) {
        try {
            Files.createDirectories(dir);
            for (String name : names) {
                Files.writeString(dir.resolve(name), "");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path dir, String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
