package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.runtime.plan.InitPlanner;

import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.SpawnRequest;
import dev.gantry.sys.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The training run for gantry-runc's AOT cache (JDK 25 -XX:AOTCacheOutput): exercises the
 * command line, JSON and the planner without root, so that their classes are pre-linked.
 */
public final class AotTraining {
    private AotTraining() {}

    /**
     * The downcalls a container start makes, so that the FFM linker's classes and method
     * handles are in the cache: spawning a helper-like child, waiting on its pidfd, sockets.
     */
    private static void exerciseSyscalls(Path dir) {
        Syscalls sys = new LinuxSyscalls();
        HelperBinary.load(sys);
        int[] pair = sys.socketPair();
        sys.write(pair[0], new byte[] {1}, 0, 1);
        sys.poll(pair[1], Syscalls.POLLIN, 0);
        sys.recvWithFd(pair[1], 1);
        int pid = sys.spawn(new SpawnRequest("/bin/true", List.of("true"), List.of(), Map.of(3, pair[1])));
        int pidfd = sys.pidfdOpen(pid);
        sys.waitPidfd(pidfd);
        sys.close(pidfd);
        sys.close(pair[0]);
        sys.close(pair[1]);
        sys.mkfifo(dir.resolve("fifo").toString(), 0600);
        int fd = sys.open(dir.resolve("fifo").toString(), Syscalls.O_RDONLY | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC, 0);
        sys.close(fd);
        sys.getpid();
    }

    /**
     * Where the build runs as root with busybox-static installed (CI, scripts/setup), the
     * training runs real containers through every verb podman and containerd use, so that
     * the cache holds what a container start loads. Elsewhere this part is skipped.
     */
    private static void runContainers(Path bundle, String root) throws IOException {
        Path busybox = Path.of("/bin/busybox");
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(busybox)) {
            return;
        }
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(busybox, bin.resolve("busybox"));
        Files.createSymbolicLink(bin.resolve("true"), Path.of("busybox"));
        Files.createSymbolicLink(bin.resolve("sleep"), Path.of("busybox"));
        Path config = bundle.resolve("config.json");
        var spec = OciSpecs.read(config);
        try (var out = Files.newOutputStream(config)) {
            OciSpecs.write(spec.withProcess(spec.process().withTerminal(false).withArgs(List.of("true"))), out);
        }
        GantryRunc.execute("--root", root, "run", "aot-run");
        GantryRunc.execute("--root", root, "--log", bundle.resolve("log.json").toString(), "--log-format", "json",
                "create", "--bundle", bundle.toString(), "--pid-file", bundle.resolve("pid").toString(), "aot-life");
        GantryRunc.execute("--root", root, "state", "aot-life");
        GantryRunc.execute("--root", root, "start", "aot-life");
        GantryRunc.execute("--root", root, "kill", "aot-life", "KILL");
        GantryRunc.execute("--root", root, "delete", "--force", "aot-life");
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("gantry-aot");
        try {
            Path bundle = Files.createDirectories(dir.resolve("bundle"));
            Files.createDirectories(bundle.resolve("rootfs"));
            GantryRunc.execute("spec", "--bundle", bundle.toString());
            var spec = OciSpecs.read(bundle.resolve("config.json"));
            new InitPlanner(HostFacts.probe(), w -> { }).plan(new InitPlanner.Request(spec, bundle,
                    bundle.resolve("rootfs"), false, Optional.empty(), null, java.util.Map.of())).encode();
            String root = dir.resolve("state").toString();
            GantryRunc.execute("--root", root, "list");
            GantryRunc.execute("--root", root, "list", "--format", "json");
            GantryRunc.execute("--root", root, "--log", dir.resolve("log").toString(), "--log-format", "json", "state", "missing");
            GantryRunc.execute("--help");
            exerciseSyscalls(dir);
            runContainers(bundle, root);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
