package dev.gantry.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unix-socket listening and the child-subreaper attribute of {@link LinuxSyscalls} (no root needed). */
class ProcessSyscallsTest {
    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;

    @Test
    void aListeningSocketAcceptsAConnectionThatCarriesADescriptor() throws Exception {
        String path = tmp.resolve("l.sock").toString();
        int listener = sys.listenUnix(path);
        int client = -1;
        int server = -1;
        int received = -1;
        int sent = sys.open("/dev/null", Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0);
        try {
            assertThat(sys.poll(listener, Syscalls.POLLIN, 0)).as("nothing pending yet").isZero();
            client = sys.connectUnix(path);
            sys.sendWithFd(client, "x".getBytes(StandardCharsets.US_ASCII), sent);
            assertThat(sys.poll(listener, Syscalls.POLLIN, 1000) & Syscalls.POLLIN).isNotZero();
            server = sys.accept(listener);
            Received r = sys.recvWithFd(server, 16);
            received = r.fd();
            assertThat(new String(r.data(), StandardCharsets.US_ASCII)).isEqualTo("x");
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + received))).isEqualTo(Path.of("/dev/null"));
            assertThatThrownBy(() -> sys.listenUnix(path)).as("the path exists").isInstanceOf(SysException.class);
        } finally {
            for (int fd : new int[] {received, server, client, sent, listener}) {
                if (fd >= 0) {
                    sys.close(fd);
                }
            }
        }
    }

    @Test
    void aSubreaperInheritsTheOrphansOfItsChildren() throws Exception {
        sys.setChildSubreaper();
        Path pidFile = tmp.resolve("orphan.pid");
        // The shell starts a sleeper in the background and exits at once: the sleeper is orphaned.
        int sh = sys.spawn(new SpawnRequest("/bin/sh", List.of("sh", "-c", "sleep 30 & echo $! > " + pidFile), List.of(), Map.of()));
        int shFd = sys.pidfdOpen(sh);
        try {
            assertThat(sys.waitPidfd(shFd).shellCode()).isZero();
        } finally {
            sys.close(shFd);
        }
        int orphan = Integer.parseInt(Files.readString(pidFile).strip());
        int fd = sys.pidfdOpen(orphan);
        try {
            String stat = Files.readString(Path.of("/proc/" + orphan + "/stat"));
            int ppid = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
            assertThat(ppid).as("the orphan's parent").isEqualTo(sys.getpid());
            sys.pidfdSendSignal(fd, 9);
            assertThat(sys.waitPidfd(fd)).as("reaped by us").isEqualTo(ExitStatus.killedBy(9));
        } finally {
            sys.close(fd);
        }
    }
}
