package dev.gantry.engine.runtimes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupManager;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.cgroups.CgroupsPath;
import dev.gantry.engine.internal.Ids;
import dev.gantry.engine.internal.PrivateDirs;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.OciJson;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.Console;
import dev.gantry.sys.ExitStatus;
import dev.gantry.sys.Received;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An OCI runtime binary with runc's command line (runc itself, crun, runsc, kata-runtime),
 * driven the way containerd's shim drives it: {@code create --bundle --pid-file
 * [--console-socket]} with the container's stdio as the runtime's own fds 0–2, then
 * {@code start}, {@code state}, {@code kill}, {@code delete}, {@code pause}/{@code resume},
 * {@code update -r} and {@code exec --process --detach --pid-file}.
 *
 * <p>The runtime's {@code create} and {@code exec} exit once their process runs, leaving it
 * an orphan: <b>the calling process must be a child subreaper</b>
 * ({@link Syscalls#setChildSubreaper()}), so that the orphan becomes its child and its exit
 * status can be collected. The container's cgroup is the one the in-process runtime would
 * use ({@code /gantry/<id>}, written into {@code linux.cgroupsPath}); stats and ps read it
 * directly, as the engine does for every container.
 */
public final class ExternalRuntime implements OciRuntime {
    private final Syscalls sys;
    private final String name;
    private final Path binary;
    private final Supplier<Cgroups> cgroups;
    private final RuntimeCli cli;

    /**
     * @param name        the name containers choose it by
     * @param binary      the executable (absolute)
     * @param runtimeArgs arguments placed before every command (daemon.json's {@code runtimeArgs})
     * @param root        a directory of its own: the runtime's state ({@code --root}) and our call files go below it
     * @param cgroups     the host's cgroups
     */
    public ExternalRuntime(Syscalls sys, String name, Path binary, List<String> runtimeArgs, Path root,
            Supplier<Cgroups> cgroups) {
        if (!binary.isAbsolute() || !Files.isExecutable(binary)) {
            throw GantryException.invalid("runtime " + name + ": " + binary + " is not an executable file (an absolute path is needed)");
        }
        this.sys = sys;
        this.name = name;
        this.binary = binary;
        this.cgroups = cgroups;
        this.cli = new RuntimeCli(sys, name, binary, runtimeArgs, root.resolve("state"), root.resolve("work"));
        try {
            PrivateDirs.ensure(root);
            PrivateDirs.ensure(cli.work());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "runtime " + name + ": " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Path> path() {
        return Optional.of(binary);
    }

    @Override
    public int create(String id, Path bundle, Console console, Map<Integer, Integer> stdio) {
        placeCgroup(bundle.resolve("config.json"), id);
        Path pidFile = cli.work().resolve(Ids.random() + ".pid");
        List<String> command = new ArrayList<>(List.of("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString()));
        try (ConsoleSocket socket = console == null ? null : ConsoleSocket.open(sys, cli.work())) {
            if (socket != null) {
                command.addAll(List.of("--console-socket", socket.path().toString()));
            }
            command.add(id);
            try {
                cli.spawn(command, stdio);
                if (socket != null) {
                    ((Console.Receiver) console).onMaster().accept(socket.receive(name));
                }
                return readPid(pidFile);
            } catch (RuntimeException e) {
                deleteQuietly(id);
                throw e;
            }
        } finally {
            RuntimeCli.deleteQuietly(pidFile);
        }
    }

    /**
     * Writes the container's cgroup as an absolute {@code linux.cgroupsPath}: without one runc
     * would choose its own place, where the engine's stats, top and cleanup would not look.
     */
    private static void placeCgroup(Path config, String id) {
        try {
            ObjectNode tree = (ObjectNode) OciJson.mapper().readTree(config.toFile());
            ObjectNode linux = tree.has("linux") ? (ObjectNode) tree.get("linux") : tree.putObject("linux");
            linux.put("cgroupsPath", "/" + cgroupPath(id).relative());
            Files.write(config, OciJson.mapper().writeValueAsBytes(tree));
        } catch (IOException | ClassCastException e) {
            throw new GantryException(ErrorKind.INTERNAL, "writing linux.cgroupsPath into " + config + ": " + e.getMessage(), e);
        }
    }

    private static CgroupsPath cgroupPath(String id) {
        return CgroupsPath.of(null, id);
    }

    private int readPid(Path pidFile) {
        try {
            return Integer.parseInt(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "runtime " + name + " wrote no pid to " + pidFile + ": " + e.getMessage(), e);
        }
    }

    private void deleteQuietly(String id) {
        try {
            cli.call(List.of("delete", "--force", id));
        } catch (GantryException e) {
            // Nothing was created, or it is gone already.
        }
    }

    @Override
    public void start(String id) {
        cli.call(List.of("start", id));
    }

    @Override
    public State state(String id) {
        String json = cli.call(List.of("state", id));
        try {
            return OciJson.mapper().readValue(json, State.class);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "runtime " + name + " state " + id + ": unreadable answer: " + e.getMessage(), e);
        }
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        List<String> command = new ArrayList<>(List.of("kill"));
        if (all) {
            command.add("--all");
        }
        command.addAll(List.of(id, Integer.toString(signal)));
        cli.call(command);
    }

    @Override
    public void delete(String id, boolean force) {
        cli.call(force ? List.of("delete", "--force", id) : List.of("delete", id));
    }

    @Override
    public void pause(String id) {
        cli.call(List.of("pause", id));
    }

    @Override
    public void resume(String id) {
        cli.call(List.of("resume", id));
    }

    @Override
    public void update(String id, LinuxResources resources) {
        Path file = cli.work().resolve(Ids.random() + ".resources.json");
        try {
            Files.write(file, OciJson.mapper().writeValueAsBytes(resources));
            cli.call(List.of("update", "--resources", file.toString(), id));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "writing " + file + ": " + e.getMessage(), e);
        } finally {
            RuntimeCli.deleteQuietly(file);
        }
    }

    @Override
    public CgroupStats stats(String id) {
        CgroupManager cg = existingCgroup(id);
        return cg.stats();
    }

    @Override
    public List<Integer> ps(String id) {
        CgroupManager cg = cgroups.get().manager(cgroupPath(id));
        if (!cg.exists()) {
            return List.of();
        }
        return cg.pids().stream().map(Long::intValue).sorted().toList();
    }

    private CgroupManager existingCgroup(String id) {
        CgroupManager cg = cgroups.get().manager(cgroupPath(id));
        if (!cg.exists()) {
            throw GantryException.notFound("container " + id + " has no cgroup (it is not running under " + name + ")");
        }
        return cg;
    }

    @Override
    public int exec(String id, Process process, Console console, Map<Integer, Integer> stdio) {
        String tag = Ids.random();
        Path processFile = cli.work().resolve(tag + ".process.json");
        Path pidFile = cli.work().resolve(tag + ".pid");
        try (ConsoleSocket socket = console == null ? null : ConsoleSocket.open(sys, cli.work())) {
            Files.write(processFile, OciJson.mapper().writeValueAsBytes(process));
            List<String> command = new ArrayList<>(List.of("exec", "--process", processFile.toString(), "--detach",
                    "--pid-file", pidFile.toString()));
            if (socket != null) {
                command.addAll(List.of("--console-socket", socket.path().toString()));
            }
            command.add(id);
            cli.spawn(command, stdio);
            if (socket != null) {
                ((Console.Receiver) console).onMaster().accept(socket.receive(name));
            }
            return readPid(pidFile);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "writing " + processFile + ": " + e.getMessage(), e);
        } finally {
            RuntimeCli.deleteQuietly(processFile);
            RuntimeCli.deleteQuietly(pidFile);
        }
    }

    @Override
    public ExitStatus waitForChild(int pid) {
        int pidfd = sys.pidfdOpen(pid);
        try {
            return sys.waitPidfd(pidfd);
        } finally {
            sys.close(pidfd);
        }
    }

    /** The listening end of runc's {@code --console-socket}: the runtime connects and sends the pty master. */
    private record ConsoleSocket(Syscalls sys, Path path, int fd) implements AutoCloseable {
        static ConsoleSocket open(Syscalls sys, Path dir) {
            // Short: a socket path must fit in sun_path's 108 bytes.
            Path path = dir.resolve(Ids.random().substring(0, 16) + ".sock");
            return new ConsoleSocket(sys, path, sys.listenUnix(path.toString()));
        }

        /** The master the runtime sent; the runtime has exited, so it connected already or never will. */
        int receive(String runtime) {
            if (sys.poll(fd, Syscalls.POLLIN, 0) == 0) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "runtime " + runtime + " sent no terminal to " + path);
            }
            int conn = sys.accept(fd);
            try {
                Received r = sys.recvWithFd(conn, 4096);
                if (r.fd() < 0) {
                    throw new GantryException(ErrorKind.UNAVAILABLE, "runtime " + runtime + " sent no descriptor over " + path);
                }
                return r.fd();
            } finally {
                sys.close(conn);
            }
        }

        @Override
        public void close() {
            sys.close(fd);
            RuntimeCli.deleteQuietly(path);
        }
    }
}
