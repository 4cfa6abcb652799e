package dev.gantry.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LinuxSyscalls#pidfdExit} on a child and on a process whose parent is another
 * process: the kernel (6.15 and later) tells any pidfd holder how the process ended once its
 * parent has reaped it. Needs no root.
 */
class PidfdExitTest {
    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;

    private static void assumeKernelKeepsExitStatus() {
        String[] v = System.getProperty("os.version").split("[.-]");
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        assumeThat(major > 6 || (major == 6 && minor >= 15)).as("PIDFD_INFO_EXIT needs Linux 6.15, this is " + System.getProperty("os.version")).isTrue();
    }

    @Test
    void waitStatusesDecodeAsWaitDoes() {
        assertThat(ExitStatus.ofWaitStatus(7 << 8)).isEqualTo(ExitStatus.exited(7));
        assertThat(ExitStatus.ofWaitStatus(0)).isEqualTo(ExitStatus.exited(0));
        assertThat(ExitStatus.ofWaitStatus(9)).isEqualTo(ExitStatus.killedBy(9));
        assertThat(ExitStatus.ofWaitStatus(0x80 | 11)).as("SIGSEGV with a core dump").isEqualTo(ExitStatus.killedBy(11));
    }

    @Test
    void aChildsStatusIsKnownAfterItIsReaped() {
        assumeKernelKeepsExitStatus();
        int pid = sys.spawn(new SpawnRequest("/bin/sleep", List.of("sleep", "30"), List.of(), Map.of()));
        int fd = sys.pidfdOpen(pid);
        try {
            assertThat(sys.pidfdExit(fd)).as("while it runs").isEqualTo(new PidfdExit.NotYet());
            sys.pidfdSendSignal(fd, 15);
            assertThat(sys.poll(fd, Syscalls.POLLIN, 10_000) & Syscalls.POLLIN).as("exited").isNotZero();
            assertThat(sys.pidfdExit(fd)).as("a zombie not reaped yet").isEqualTo(new PidfdExit.NotYet());
            assertThat(sys.waitPidfd(fd)).isEqualTo(ExitStatus.killedBy(15));
            assertThat(sys.pidfdExit(fd)).isEqualTo(new PidfdExit.Known(ExitStatus.killedBy(15)));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void aGrandchildsExitCodeIsKnownOnceItsOwnParentReapsIt() throws Exception {
        assertGrandchildEnds("exit 7", ExitStatus.exited(7), 7);
    }

    @Test
    void aGrandchildsKillingSignalIsKnownOnceItsOwnParentReapsIt() throws Exception {
        assertGrandchildEnds("kill -TERM $$", ExitStatus.killedBy(15), 128 + 15);
    }

    /**
     * A shell (our child) starts a background shell (its child, not ours) that waits for a
     * line on a fifo and then runs {@code script}; the first shell waits for it, reaps it and
     * exits with its status. We open a pidfd on the grandchild while it waits, release it, and
     * ask the kernel once its parent has reaped it.
     */
    private void assertGrandchildEnds(String script, ExitStatus expected, int parentsCode) throws Exception {
        assumeKernelKeepsExitStatus();
        Path pidFile = tmp.resolve("grandchild.pid");
        Path fifo = tmp.resolve("go");
        sys.mkfifo(fifo.toString(), 0600);
        String parentScript = "sh -c 'read x < " + fifo + "; " + script + "' & echo $! > " + pidFile + "; wait $!";
        int parent = sys.spawn(new SpawnRequest("/bin/sh", List.of("sh", "-c", parentScript), List.of(), Map.of()));
        int parentFd = sys.pidfdOpen(parent);
        int fd = -1;
        try {
            for (int i = 0; i < 500 && !(Files.exists(pidFile) && Files.readString(pidFile).endsWith("\n")); i++) {
                Thread.sleep(10);
            }
            fd = sys.pidfdOpen(Integer.parseInt(Files.readString(pidFile).strip()));
            assertThat(sys.pidfdExit(fd)).as("while it runs").isEqualTo(new PidfdExit.NotYet());
            int notOurs = fd;
            assertThatThrownBy(() -> sys.waitPidfd(notOurs)).as("not our child")
                    .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ECHILD));

            int w = sys.open(fifo.toString(), Syscalls.O_WRONLY | Syscalls.O_CLOEXEC, 0);
            try {
                sys.write(w, new byte[] {'\n'}, 0, 1);
            } finally {
                sys.close(w);
            }
            assertThat(sys.waitPidfd(parentFd).shellCode()).as("the parent's wait saw the same end").isEqualTo(parentsCode);
            assertThat(sys.pidfdExit(fd)).as("reaped by its parent").isEqualTo(new PidfdExit.Known(expected));
        } finally {
            if (fd >= 0) {
                if (sys.poll(fd, Syscalls.POLLIN, 0) == 0) {
                    sys.pidfdSendSignal(fd, 9);
                }
                sys.close(fd);
            }
            if (sys.poll(parentFd, Syscalls.POLLIN, 0) == 0) {
                sys.pidfdSendSignal(parentFd, 9);
                sys.waitPidfd(parentFd);
            }
            sys.close(parentFd);
        }
    }

    @Test
    void aFileThatIsNoPidfdTellsNothing() {
        int fd = sys.open("/dev/null", Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0);
        try {
            assertThat(sys.pidfdExit(fd)).as("ENOTTY, as from a kernel without PIDFD_GET_INFO").isEqualTo(new PidfdExit.Unknown());
        } finally {
            sys.close(fd);
        }
    }
}
