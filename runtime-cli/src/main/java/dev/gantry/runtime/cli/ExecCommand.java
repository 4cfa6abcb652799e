package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.User;
import dev.gantry.runtime.Console;
import dev.gantry.runtime.ContainerRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

final class ExecCommand implements Verb {
    @Override
    public String name() {
        return "exec";
    }

    @Override
    public String summary() {
        return "Run another process in a running container.";
    }

    @Override
    public String synopsis() {
        return "[options] <container-id> [command [args...]]";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(
                Args.Opt.value("--process", "-p", "file", "process.json describing the process (instead of arguments)"),
                Args.Opt.flag("--tty", "-t", "allocate a pseudo-terminal"),
                Args.Opt.flag("--detach", "-d", "do not wait for the process"),
                Args.Opt.value("--pid-file", null, "file", "write the process's pid to this file"),
                Args.Opt.value("--console-socket", null, "path", "AF_UNIX socket that receives the terminal master"),
                Args.Opt.value("--cwd", null, "dir", "working directory inside the container"),
                Args.Opt.value("--env", "-e", "KEY=VALUE", "set an environment variable (repeatable)"),
                Args.Opt.value("--user", "-u", "uid[:gid]", "run as this user"),
                Args.Opt.value("--additional-gids", "-g", "gid", "an additional group (repeatable)"),
                Args.Opt.flag("--no-new-privs", null, "set no_new_privs for the process"));
    }

    @Override
    public int run(GantryRunc app, Args a) throws Exception {
        String id = a.positional(name(), 0, "<container-id>");
        ContainerRuntime rt = app.runtime();
        Process p;
        if (a.value("--process").isPresent()) {
            Path file = Path.of(a.value("--process").get());
            a.atMost(name(), 1);
            p = OciSpecs.decode(Files.readAllBytes(file), Process.class, file.toString());
        } else {
            p = fromArguments(a, a.positionals().subList(1, a.positionals().size()), rt.store().load(id).spec().process());
        }
        boolean detach = a.flag("--detach");
        AtomicReference<TerminalProxy> proxy = new AtomicReference<>();
        Console console = !p.terminal() ? null
                : a.value("--console-socket").map(s -> (Console) new Console.SocketPath(Path.of(s)))
                        .orElse(detach ? null : new Console.Receiver(m -> proxy.set(new TerminalProxy(app.sys(), m))));
        int pid = rt.exec(id, p, new ContainerRuntime.ExecOptions(console, CreateCommand.pidFile(a), Map.of()));
        if (detach) {
            return 0;
        }
        int code = rt.waitForChild(pid).shellCode();
        if (proxy.get() != null) {
            proxy.get().finish();
        }
        return code;
    }

    /** The container's own process settings, with the command and the flags applied on top. */
    private Process fromArguments(Args a, List<String> command, Process base) {
        if (command.isEmpty()) {
            throw GantryException.invalid("exec needs a command, or --process with a process.json");
        }
        if (base == null) {
            throw GantryException.invalid("the container's config has no process to inherit settings from");
        }
        List<String> env = new ArrayList<>(base.envOrEmpty());
        env.addAll(a.values("--env"));
        List<Long> gids = a.values("--additional-gids").stream().map(g -> parseId("--additional-gids", g)).toList();
        User u = base.userOrRoot();
        if (a.value("--user").isPresent()) {
            String[] parts = a.value("--user").get().split(":", 2);
            u = new User(parseId("--user", parts[0]), parts.length > 1 ? parseId("--user", parts[1]) : 0, u.umask(),
                    gids.isEmpty() ? null : gids, null);
        } else if (!gids.isEmpty()) {
            u = new User(u.uid(), u.gid(), u.umask(), gids, null);
        }
        return new Process(a.flag("--tty"), base.consoleSize(), u, command, null, env, a.value("--cwd").orElse(base.cwd()),
                base.capabilities(), base.rlimits(), a.flag("--no-new-privs") || base.noNewPrivileges(),
                base.apparmorProfile(), null, base.selinuxLabel(), base.ioPriority(), base.scheduler(),
                base.execCPUAffinity());
    }

    private static long parseId(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw GantryException.invalid(option + ": expected a numeric id, got \"" + text + "\"");
        }
    }
}
