package dev.gantry.engine.internal;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.ExecInspect;
import dev.gantry.engine.ExecRequest;
import dev.gantry.engine.LogStream;
import dev.gantry.engine.OutputSink;
import dev.gantry.oci.runtime.LinuxCapabilities;
import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.Spec;
import dev.gantry.oci.runtime.User;
import dev.gantry.runtime.Console;
import dev.gantry.engine.runtimes.OciRuntime;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Exec instances: created against a running container, started once. The process is the
 * container's own process (from its spec: environment, capabilities, rlimits,
 * no_new_privileges) with the request's command, and its environment, user, working
 * directory, terminal and privileges applied on top.
 */
public final class ExecRunner {
    private record Instance(String id, String containerId, ExecRequest request, boolean started, boolean running,
            Integer exitCode, int pid) {
        Instance with(boolean s, boolean r, Integer code, int p) {
            return new Instance(id, containerId, request, s, r, code, p);
        }
    }

    private final Syscalls sys;
    private final Function<String, OciRuntime> runtimes;
    private final Supplier<HostInfo> host;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    /**
     * A duplicate of each running exec's terminal master, for resize: the output pump closes its
     * own descriptor when the process ends, and a resize must never reach a number reused meanwhile.
     */
    private final Map<String, Integer> terminals = new HashMap<>();
    private static final int F_DUPFD_CLOEXEC = 1030;

    /** @param runtimes the runtime that runs a container, by container id */
    public ExecRunner(Syscalls sys, Function<String, OciRuntime> runtimes, Supplier<HostInfo> host) {
        this.sys = sys;
        this.runtimes = runtimes;
        this.host = host;
    }

    public String create(String containerId, ExecRequest request) {
        String id = Ids.random();
        instances.put(id, new Instance(id, containerId, request, false, false, null, 0));
        return id;
    }

    public ExecInspect inspect(String execId) {
        Instance i = get(execId);
        return new ExecInspect(i.id, i.containerId, i.request, i.running, i.exitCode, i.pid);
    }

    private Instance get(String execId) {
        Instance i = instances.get(execId);
        if (i == null) {
            throw GantryException.notFound("No such exec instance: " + execId);
        }
        return i;
    }

    /**
     * Runs the instance in the container whose directory is {@code dir} (bundle, rootfs);
     * blocks until the process exits and its output is delivered. Platform threads only.
     */
    public int start(String execId, Path dir, InputStream stdin, OutputSink out, Consumer<String> warn) {
        Instance inst;
        synchronized (this) {
            inst = get(execId);
            if (inst.started) {
                throw GantryException.conflict("exec " + execId + " has already been started");
            }
            instances.put(execId, inst = inst.with(true, true, null, 0));
        }
        Spec spec = OciSpecs.read(dir.resolve("bundle").resolve("config.json"));
        Process process = process(spec, inst.request, dir.resolve("rootfs"));
        List<Integer> toClose = new ArrayList<>();
        List<OutputPump> pumps = new ArrayList<>();
        OutputPump.Target target = (stream, time, buf, off, len) -> {
            synchronized (out) {
                out.write(stream, buf, off, len);
            }
        };
        Thread feeder = null;
        try {
            Map<Integer, Integer> stdio = new HashMap<>();
            // With a terminal the process reads the pty (its stdin is the slave): the caller's
            // input goes to the master once it arrives, not through a socket of its own.
            boolean ttyInput = stdin != null && inst.request.tty();
            if (stdin == null || ttyInput) {
                int devNull = sys.open("/dev/null", Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0);
                toClose.add(devNull);
                stdio.put(0, devNull);
            } else {
                int[] pair = sys.socketPair();
                toClose.add(pair[1]);
                stdio.put(0, pair[1]);
                feeder = feed(stdin, pair[0], execId);
            }
            int[] master = {-1};
            Console console = null;
            if (inst.request.tty()) {
                console = new Console.Receiver(fd -> master[0] = fd);
            } else {
                String tag = execId.substring(0, 12);
                for (int fd = 1; fd <= 2; fd++) {
                    Path fifo = dir.resolve("exec-" + tag + "-" + fd + ".fifo");
                    int r = Fifos.openReader(sys, fifo);
                    pumps.add(OutputPump.start(sys, r, fd == 1 ? LogStream.STDOUT : LogStream.STDERR, target, warn,
                            "gantry-exec-" + tag + "-" + fd));
                    int w = Fifos.openWriter(sys, fifo);
                    toClose.add(w);
                    stdio.put(fd, w);
                    Files.delete(fifo);
                }
            }
            OciRuntime runtime = runtimes.apply(inst.containerId);
            int pid = runtime.exec(inst.containerId, process, console, stdio);
            toClose.forEach(sys::close);
            toClose.clear();
            if (master[0] >= 0) {
                synchronized (terminals) {
                    terminals.put(execId, sys.fcntl(master[0], F_DUPFD_CLOEXEC, 0));
                }
                pumps.add(OutputPump.start(sys, master[0], LogStream.STDOUT, target, warn, "gantry-exec-tty-" + execId.substring(0, 12)));
                if (ttyInput) {
                    feeder = feed(stdin, sys.fcntl(master[0], F_DUPFD_CLOEXEC, 0), execId);
                }
            }
            instances.put(execId, inst = inst.with(true, true, null, pid));
            int code = runtime.waitForChild(pid).shellCode();
            for (OutputPump p : pumps) {
                p.awaitEnd(2_000);
                p.join();
            }
            instances.put(execId, inst.with(true, false, code, pid));
            return code;
        } catch (IOException | RuntimeException e) {
            toClose.forEach(sys::close);
            pumps.forEach(OutputPump::stop);
            pumps.forEach(OutputPump::join);
            int code = e instanceof GantryException g && g.kind() == ErrorKind.NOT_FOUND ? 127 : 126;
            instances.put(execId, inst.with(true, false, code, 0));
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new GantryException(ErrorKind.UNAVAILABLE, "exec " + execId + ": " + e.getMessage(), e);
        } finally {
            if (feeder != null) {
                feeder.interrupt();
            }
            synchronized (terminals) {
                Integer t = terminals.remove(execId);
                if (t != null) {
                    sys.close(t);
                }
            }
        }
    }

    /** Sets the window size of a running exec's terminal (TIOCSWINSZ; the process gets SIGWINCH). */
    public void resize(String execId, int rows, int cols) {
        Instance inst = get(execId);
        if (!inst.request.tty()) {
            throw GantryException.conflict("exec " + execId + " has no TTY to resize");
        }
        if (rows <= 0 || cols <= 0 || rows > 0xffff || cols > 0xffff) {
            throw GantryException.invalid("h, w: the height and width must be between 1 and 65535, not " + rows + "x" + cols);
        }
        synchronized (terminals) {
            Integer fd = terminals.get(execId);
            if (fd == null) {
                throw GantryException.conflict("exec " + execId + " is not running");
            }
            sys.setWindowSize(fd, rows, cols);
        }
    }

    /**
     * Copies the caller's stdin into the process's until either ends, then closes {@code fd}:
     * the socket's end of file, or a duplicate of the terminal's master.
     */
    private Thread feed(InputStream in, int fd, String execId) {
        return Thread.ofPlatform().daemon().name("gantry-exec-in-" + execId.substring(0, 12)).start(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    for (int off = 0; off < n; ) {
                        off += sys.write(fd, buf, off, n - off);
                    }
                }
            } catch (IOException | GantryException e) {
                // The process exited (EPIPE) or the caller's stream failed: either way input ends here.
            } finally {
                sys.close(fd);
            }
        });
    }

    private Process process(Spec spec, ExecRequest req, Path rootfs) {
        Process base = spec.process();
        User user = base.userOrRoot();
        List<String> env = CommandMerge.env(base.envOrEmpty(), req.env());
        if (req.user() != null && !req.user().isEmpty()) {
            UserResolver.Resolved u = UserResolver.resolve(req.user(), ContainerFs.readInContainer(rootfs, "/etc/passwd"),
                    ContainerFs.readInContainer(rootfs, "/etc/group"));
            user = new User(u.uid(), u.gid(), null, u.additionalGids().isEmpty() ? null : u.additionalGids(), null);
        }
        LinuxCapabilities caps = base.capabilities();
        if (req.privileged()) {
            List<String> all = host.get().boundingCapabilities();
            caps = new LinuxCapabilities(all, all, null, all, null);
        }
        List<String> withTerm = req.tty() && !CommandMerge.has(env, "TERM") ? append(env, "TERM=xterm") : env;
        String cwd = req.workingDir() != null && !req.workingDir().isEmpty() ? req.workingDir() : base.cwd();
        return new Process(req.tty(), null, user, req.cmd(), null, withTerm, cwd, caps, base.rlimits(),
                base.noNewPrivileges(), null, null, null, null, null, null);
    }

    private static List<String> append(List<String> list, String item) {
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }
}
