package dev.gantry.testkit;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal root filesystem made from Debian's static busybox: {@code /bin/busybox}, one
 * symlink per applet at the path {@code busybox --list-full} names, the accounts root (0),
 * {@code user} (1000:1000) and {@code nobody} (65534), and the empty mount points a container
 * needs. It is built once per JVM; tests that write to it (chown for a user namespace, extra
 * files) take their own copy with {@link #copyTo(Path)}.
 */
public final class BusyboxRootfs {
    /** Where busybox-static installs the binary. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private static final List<String> DIRECTORIES = List.of(
            "bin", "sbin", "usr/bin", "usr/sbin", "etc", "tmp", "proc", "sys", "dev", "root", "home/user");
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            user:x:1000:1000:user:/home/user:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            """;
    private static final String GROUP = """
            root:x:0:
            user:x:1000:
            nogroup:x:65534:
            """;

    private static Path shared;

    private BusyboxRootfs() {
    }

    /** The JVM-wide rootfs; read-only by convention (copy it before changing anything). */
    public static synchronized Path shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("gantry-busybox-");
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Path rootfs = dir.resolve("rootfs");
                build(rootfs);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> TestFiles.deleteQuietly(dir)));
                shared = rootfs;
            } catch (IOException e) {
                throw new UncheckedIOException("building the busybox rootfs", e);
            }
        }
        return shared;
    }

    /** Copies the shared rootfs to {@code target} (which must not exist) and returns it. */
    public static Path copyTo(Path target) {
        Path source = shared();
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path copy = target.resolve(source.relativize(dir).toString());
                    Files.copy(dir, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path copy = target.resolve(source.relativize(file).toString());
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("copying the busybox rootfs to " + target, e);
        }
        return target;
    }

    static void build(Path rootfs) throws IOException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new GantryException(ErrorKind.UNAVAILABLE,
                    BUSYBOX + " is missing: apt-get install busybox-static");
        }
        for (String dir : DIRECTORIES) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.setPosixFilePermissions(rootfs.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : applets()) {
            Path link = rootfs.resolve(applet);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(link.getParent());
                // Absolute target: resolves to the container's own busybox once the root is pivoted.
                Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            }
        }
        Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), GROUP);
        Path home = rootfs.resolve("home/user");
        Files.setAttribute(home, "unix:uid", 1000);
        Files.setAttribute(home, "unix:gid", 1000);
    }

    /** Applet paths relative to the root, e.g. {@code usr/bin/awk}. */
    private static List<String> applets() throws IOException {
        Process process = new ProcessBuilder(BUSYBOX.toString(), "--list-full")
                .redirectErrorStream(true)
                .start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new GantryException(ErrorKind.INTERNAL, BUSYBOX + " --list-full failed: " + out);
            }
            return out.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GantryException(ErrorKind.INTERNAL, "interrupted while listing busybox applets", e);
        } finally {
            process.destroyForcibly();
        }
    }
}
