package dev.gantry.runtime;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.Hook;
import dev.gantry.sys.ExitStatus;
import dev.gantry.sys.SpawnRequest;
import dev.gantry.sys.Syscalls;

import java.util.List;
import java.util.Map;

/**
 * Runs the hooks that execute in the runtime's namespaces (prestart, createRuntime,
 * poststart, poststop): each gets the container state JSON on stdin and is killed when its
 * timeout passes. argv[0] is the hook's args[0], which may differ from its path, so hooks
 * are started with posix_spawn rather than ProcessBuilder.
 */
final class HookRunner {
    private final Syscalls sys;

    HookRunner(Syscalls sys) {
        this.sys = sys;
    }

    void run(List<Hook> hooks, String kind, byte[] state) {
        for (Hook h : hooks) {
            runOne(h, kind, state);
        }
    }

    private void runOne(Hook h, String kind, byte[] state) {
        int[] pair = sys.socketPair();
        int pid;
        try {
            List<String> argv = h.args() == null || h.args().isEmpty() ? List.of(h.path()) : h.args();
            pid = sys.spawn(new SpawnRequest(h.path(), argv, h.env() == null ? List.of() : h.env(), Map.of(0, pair[1])));
        } catch (GantryException e) {
            sys.close(pair[0]);
            sys.close(pair[1]);
            throw new GantryException(e.kind(), kind + " hook " + h.path() + ": " + e.getMessage(), e);
        }
        sys.close(pair[1]);
        int pidfd = sys.pidfdOpen(pid);
        try {
            try {
                sys.write(pair[0], state, 0, state.length);
            } catch (GantryException ignored) {
                // A hook need not read its stdin; EPIPE just means it did not.
            }
            sys.close(pair[0]);
            int timeoutMs = h.timeout() == null ? -1 : h.timeout() * 1000;
            if (sys.poll(pidfd, Syscalls.POLLIN, timeoutMs) == 0) {
                sys.pidfdSendSignal(pidfd, 9);
                sys.waitPidfd(pidfd);
                throw new GantryException(ErrorKind.TIMEOUT,
                        kind + " hook " + h.path() + " did not finish within its timeout of " + h.timeout() + " s");
            }
            ExitStatus st = sys.waitPidfd(pidfd);
            if (st.signaled() || st.value() != 0) {
                throw new GantryException(ErrorKind.INTERNAL, kind + " hook " + h.path() + " failed with "
                        + (st.signaled() ? "signal " + st.value() : "exit status " + st.value()));
            }
        } finally {
            sys.close(pidfd);
        }
    }
}
