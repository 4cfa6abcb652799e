package dev.gantry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's podman with storage, run state, network config and events all in one private
 * directory, so that nothing touches /var/lib/containers or a system service, and a busybox
 * image imported there. Closing removes every container, mount and file it made.
 */
final class IsolatedPodman implements AutoCloseable {

    /** The local image every test runs; imported from a busybox tarball, never pulled. */
    static final String IMAGE = "localhost/gantry-busybox:interop";

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /*
     * default_ulimits = [] because this machine's bounding set lacks CAP_SYS_RESOURCE: podman's
     * default nofile ulimit lies above the hard limit and every runtime must refuse it (DESIGN §5).
     * cgroupfs and file events because no systemd or journald runs here.
     */
    private static final String CONTAINERS_CONF = """
            [containers]
            default_ulimits = []

            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            """;

    private final Path dir;
    private final Map<String, String> env;

    private IsolatedPodman(Path dir) {
        this.dir = dir;
        this.env = Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    }

    static IsolatedPodman start() throws IOException {
        IsolatedPodman podman = new IsolatedPodman(Files.createTempDirectory(Path.of("/tmp"), "gantry-podman-"));
        try {
            Files.writeString(podman.dir.resolve("containers.conf"), CONTAINERS_CONF);
            Path tar = BusyboxTarball.create(Files.createDirectories(podman.dir.resolve("image")));
            HostCommand.Result imported = podman.podman(OciRuntimeUnderTest.runc(), "import", tar.toString(), IMAGE);
            assertThat(imported.exitCode()).as(imported.describe()).isZero();
            return podman;
        } catch (RuntimeException | Error | IOException e) {
            podman.close();
            throw e;
        }
    }

    /** Runs {@code podman <args>} against the private storage with {@code runtime} as the OCI runtime. */
    HostCommand.Result podman(OciRuntimeUnderTest runtime, String... args) {
        List<String> command = new ArrayList<>(List.of("podman",
                "--root", dir.resolve("root").toString(),
                "--runroot", dir.resolve("runroot").toString(),
                "--tmpdir", dir.resolve("tmp").toString(),
                "--network-config-dir", dir.resolve("net").toString(),
                "--volumepath", dir.resolve("volumes").toString(),
                "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs",
                "--events-backend", "file",
                "--runtime", runtime.binary().toString()));
        command.addAll(List.of(args));
        return HostCommand.run(env, TIMEOUT, command);
    }

    @Override
    public void close() {
        try {
            podman(OciRuntimeUnderTest.runc(), "rm", "--all", "--force", "--time", "0");
        } finally {
            // conmon outlives podman; it names the private run root on its command line.
            HostCleanup.terminateMentioning(dir.toString(), Duration.ofSeconds(10));
            HostCleanup.unmountUnder(dir);
            HostCleanup.deleteTree(dir);
        }
    }
}
