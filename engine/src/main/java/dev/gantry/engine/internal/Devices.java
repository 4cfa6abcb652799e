package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import dev.gantry.engine.HostConfig;
import dev.gantry.oci.runtime.LinuxDevice;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Host device nodes as OCI {@code linux.devices} entries. */
public final class Devices {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private Devices() {
    }

    /** The device {@code m.pathOnHost()} at {@code m.pathInContainer()}; INVALID_ARGUMENT when it is no device. */
    public static LinuxDevice of(HostConfig.DeviceMapping m) {
        String target = m.pathInContainer() == null || m.pathInContainer().isEmpty() ? m.pathOnHost() : m.pathInContainer();
        return stat(Path.of(m.pathOnHost()), target)
                .orElseThrow(() -> GantryException.invalid("HostConfig.Devices: " + m.pathOnHost() + " is not a device node"));
    }

    /** Every character and block device directly under the host's /dev (what privileged gets). */
    public static List<LinuxDevice> allHost() {
        List<LinuxDevice> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/dev"))) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                // The container's own console and pty multiplexer must stay its own.
                if (name.equals("console") || name.equals("ptmx") || name.equals("tty")) {
                    continue;
                }
                stat(p, p.toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw GantryException.invalid("HostConfig.Privileged: listing /dev: " + e.getMessage());
        }
        return out;
    }

    /** glibc's gnu_dev_major/minor: 12 bits of major and 20 of minor split across the 64-bit dev_t. */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }

    private static java.util.Optional<LinuxDevice> stat(Path host, String target) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(host, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw GantryException.invalid("HostConfig.Devices: " + host + ": " + e.getMessage());
        }
        int mode = (Integer) a.get("mode");
        int type = mode & S_IFMT;
        if (type != S_IFCHR && type != S_IFBLK) {
            return java.util.Optional.empty();
        }
        long rdev = (Long) a.get("rdev");
        return java.util.Optional.of(new LinuxDevice(target, type == S_IFCHR ? "c" : "b", major(rdev),
                minor(rdev), mode & 07777, ((Integer) a.get("uid")).longValue(), ((Integer) a.get("gid")).longValue()));
    }
}
