package dev.gantry.engine.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The engine's data directories are closed to other users (0710, root): containers and
 * images hold setuid binaries and device nodes that are meant for the container, and a host
 * user who could reach them there would run them as root (CVE-2021-41091 was this bug in
 * dockerd). The mode is applied again at every start, to mend a root created earlier.
 */
public final class PrivateDirs {
    private PrivateDirs() {}

    public static Path ensure(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x---"));
        return dir;
    }
}
