package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A bundle directory on disk: {@code config.json} and (usually) a private copy of the busybox
 * rootfs in {@code rootfs/}. The directory is world-searchable so a container whose root is
 * mapped to an unprivileged uid can still reach its rootfs.
 */
public record OciBundle(Path dir) {
    /** Creates {@code dir} with a fresh busybox rootfs and the spec's config.json. */
    public static OciBundle create(Path dir, OciSpec spec) {
        OciBundle bundle = withoutRootfs(dir, spec);
        BusyboxRootfs.copyTo(bundle.rootfs());
        return bundle;
    }

    /** Creates {@code dir} with only config.json (for the missing-rootfs case or a custom root). */
    public static OciBundle withoutRootfs(Path dir, OciSpec spec) {
        OciBundle bundle = new OciBundle(dir);
        bundle.makeDir();
        bundle.writeConfig(spec);
        return bundle;
    }

    /** Creates {@code dir} with a busybox rootfs and {@code config.json} holding exactly {@code text}. */
    public static OciBundle withRawConfig(Path dir, String text) {
        OciBundle bundle = new OciBundle(dir);
        bundle.makeDir();
        BusyboxRootfs.copyTo(bundle.rootfs());
        bundle.writeRawConfig(text);
        return bundle;
    }

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    public Path config() {
        return dir.resolve("config.json");
    }

    public void writeConfig(OciSpec spec) {
        writeRawConfig(spec.toJson());
    }

    public void writeRawConfig(String text) {
        try {
            Files.writeString(config(), text);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + config(), e);
        }
    }

    private void makeDir() {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("creating bundle " + dir, e);
        }
    }
}
