package dev.gantry.api.docker;

import dev.gantry.api.docker.host.HostSystemInfo;
import dev.gantry.api.docker.model.SystemInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The host information provider the server tests run with. */
public final class TestServers {
    public static final String VERSION = "0.1.0-test";

    private TestServers() {}

    public static HostSystemInfo hostInfo() {
        return new HostSystemInfo(Path.of("/"), new HostSystemInfo.Settings(VERSION, Path.of("/var/lib/gantry"),
                Map.of("gantry", new SystemInfo.Runtime("gantry-runc", List.of()), "runc", new SystemInfo.Runtime("/usr/sbin/runc", List.of())),
                "gantry"));
    }

    public static ServerOptions options(Path dir) {
        return new ServerOptions(dir.resolve("docker.sock"), "gantry", 4096, VERSION);
    }
}
