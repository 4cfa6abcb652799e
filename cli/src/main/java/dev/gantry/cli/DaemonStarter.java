package dev.gantry.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts gantryd when its socket is absent (or dead: nothing accepts on it) and this user may (root), as the Gradle and Maven
 * daemons start themselves: a fresh install needs no separate start step. The daemon is
 * {@code gantryd} beside this launcher's install directory ({@code <lib>/gantryd/gantryd} next to
 * {@code <lib>/gantry/gantry}), else on PATH; it runs in a session of its own ({@code setsid}),
 * so that the terminal's hang-up or ctrl-c does not reach it, with {@code -H unix://SOCKET} and
 * the extra flags in GANTRYD_FLAGS, its output appended to {@code gantryd.log} beside the socket.
 * Only the default socket is started on its own: another socket needs GANTRYD_FLAGS naming its
 * roots ({@code --root R --exec-root E}).
 */
public final class DaemonStarter {
    private static final long WAIT_MILLIS = 30_000;

    private final Path launcherHome;
    private final Map<String, String> env;

    /**
     * @param launcherHome the directory of the gantry launcher (its {@code lib/} parent), or null
     * @param env the environment: PATH, GANTRYD_FLAGS
     */
    public DaemonStarter(Path launcherHome, Map<String, String> env) {
        this.launcherHome = launcherHome;
        this.env = env;
    }

    /**
     * Starts gantryd on {@code socket} and waits until it accepts connections. Does nothing when
     * not root, when GANTRY_AUTOSTART=0, or for a socket other than the default one unless
     * GANTRYD_FLAGS says where that daemon keeps its state (a second daemon on the default
     * roots would share them with the first).
     */
    void ensureRunning(Path socket, PrintStream err) {
        String flags = env.get("GANTRYD_FLAGS");
        boolean mayStart = socket.equals(Session.DEFAULT_SOCKET) || flags != null && !flags.isBlank();
        if (!mayStart || !isRoot() || "0".equals(env.get("GANTRY_AUTOSTART"))) {
            return;
        }
        Path daemon = findDaemon();
        if (daemon == null) {
            throw Session.unavailable("gantryd is not running at unix://" + socket
                    + " and no gantryd was found beside gantry or on PATH: install it (scripts/setup) or start it yourself");
        }
        try {
            Files.createDirectories(socket.getParent());
            Path log = socket.resolveSibling("gantryd.log");
            List<String> cmd = new ArrayList<>(List.of("setsid", daemon.toString(), "-H", "unix://" + socket));
            if (flags != null && !flags.isBlank()) {
                cmd.addAll(List.of(flags.trim().split("\\s+")));
            }
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
            while (!accepts(socket)) {
                if (!p.isAlive()) {
                    throw Session.unavailable("gantryd exited with code " + p.exitValue() + " while starting: see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw Session.unavailable("gantryd did not open unix://" + socket + " within 30 s: see " + log);
                }
                Thread.sleep(10);
            }
            err.println("gantry: started gantryd (pid " + p.pid() + ", log " + log + ")");
        } catch (IOException e) {
            throw Session.unavailable("cannot start " + daemon + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Session.unavailable("interrupted while waiting for gantryd to start");
        }
    }

    Path findDaemon() {
        if (launcherHome != null) {
            for (Path p : List.of(launcherHome.resolve("gantryd"), launcherHome.resolveSibling("gantryd").resolve("gantryd"))) {
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return p;
                }
            }
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "gantryd");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The effective uid is 0, read from /proc/self/status (no native call on the start-up path). */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
