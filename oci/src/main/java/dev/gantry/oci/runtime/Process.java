package dev.gantry.oci.runtime;

import java.util.List;

/**
 * The container process (config.md "process"). {@code cwd} and a non-empty {@code args} are
 * required on Linux; {@code oomScoreAdj == null} means "leave oom_score_adj alone".
 */
public record Process(
        boolean terminal,
        ConsoleSize consoleSize,
        User user,
        List<String> args,
        String commandLine,
        List<String> env,
        String cwd,
        LinuxCapabilities capabilities,
        List<PosixRlimit> rlimits,
        boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        String selinuxLabel,
        LinuxIOPriority ioPriority,
        Scheduler scheduler,
        CPUAffinity execCPUAffinity) {

    public List<String> argsOrEmpty() {
        return args == null ? List.of() : args;
    }

    public List<String> envOrEmpty() {
        return env == null ? List.of() : env;
    }

    public List<PosixRlimit> rlimitsOrEmpty() {
        return rlimits == null ? List.of() : rlimits;
    }

    /** The user, or uid 0 / gid 0 when absent (the spec's defaults). */
    public User userOrRoot() {
        return user == null ? new User(0, 0, null, null, null) : user;
    }

    public Process withArgs(List<String> newArgs) {
        return new Process(terminal, consoleSize, user, newArgs, commandLine, env, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, selinuxLabel, ioPriority, scheduler, execCPUAffinity);
    }

    public Process withTerminal(boolean newTerminal) {
        return new Process(newTerminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, selinuxLabel, ioPriority, scheduler, execCPUAffinity);
    }
}
