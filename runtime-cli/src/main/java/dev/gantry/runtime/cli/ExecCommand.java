package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.User;
import dev.gantry.runtime.Console;
import dev.gantry.runtime.ContainerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "exec", description = "Run another process in a running container.")
final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = {"-p", "--process"}, description = "process.json describing the process (instead of arguments)")
    Path processFile;

    @Option(names = {"-t", "--tty"}, description = "allocate a pseudo-terminal")
    boolean tty;

    @Option(names = {"-d", "--detach"}, description = "do not wait for the process")
    boolean detach;

    @Option(names = "--pid-file", description = "write the process's pid to this file")
    Path pidFile;

    @Option(names = "--console-socket", description = "AF_UNIX socket that receives the terminal master")
    Path consoleSocket;

    @Option(names = "--cwd", description = "working directory inside the container")
    String cwd;

    @Option(names = {"-e", "--env"}, description = "set an environment variable (KEY=VALUE)")
    List<String> env = new ArrayList<>();

    @Option(names = {"-u", "--user"}, description = "uid[:gid]")
    String user;

    @Option(names = {"-g", "--additional-gids"}, description = "additional gids")
    List<Long> additionalGids = new ArrayList<>();

    @Option(names = "--no-new-privs", description = "set no_new_privs for the process")
    boolean noNewPrivs;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1..*", paramLabel = "<command>")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ContainerRuntime rt = app.runtime();
        Process p = processFile != null
                ? OciSpecs.decode(Files.readAllBytes(processFile), Process.class, processFile.toString())
                : fromArguments(rt.store().load(id).spec().process());
        AtomicReference<TerminalProxy> proxy = new AtomicReference<>();
        Console console = !p.terminal() ? null
                : consoleSocket != null ? new Console.SocketPath(consoleSocket)
                : detach ? null : new Console.Receiver(master -> proxy.set(new TerminalProxy(app.sys(), master)));
        int pid = rt.exec(id, p, new ContainerRuntime.ExecOptions(console, pidFile, Map.of()));
        if (detach) {
            return 0;
        }
        int code = rt.waitForChild(pid).shellCode();
        if (proxy.get() != null) {
            proxy.get().finish();
        }
        return code;
    }

    private Process fromArguments(Process base) {
        if (command.isEmpty()) {
            throw GantryException.invalid("exec needs a command, or --process with a process.json");
        }
        if (base == null) {
            throw GantryException.invalid("the container's config has no process to inherit settings from");
        }
        List<String> newEnv = new ArrayList<>(base.envOrEmpty());
        newEnv.addAll(env);
        User u = base.userOrRoot();
        if (user != null) {
            String[] parts = user.split(":", 2);
            try {
                u = new User(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0, u.umask(),
                        additionalGids.isEmpty() ? null : additionalGids, null);
            } catch (NumberFormatException e) {
                throw GantryException.invalid("--user: expected uid[:gid], got \"" + user + "\"");
            }
        } else if (!additionalGids.isEmpty()) {
            u = new User(u.uid(), u.gid(), u.umask(), additionalGids, null);
        }
        return new Process(tty, base.consoleSize(), u, command, null, newEnv, cwd != null ? cwd : base.cwd(),
                base.capabilities(), base.rlimits(), noNewPrivs || base.noNewPrivileges(), base.apparmorProfile(),
                null, base.selinuxLabel(), base.ioPriority(), base.scheduler(), base.execCPUAffinity());
    }
}
