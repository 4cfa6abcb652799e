package dev.gantry.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory-fd file-system calls of {@link LinuxSyscalls} on a temp dir (no root needed). */
class FileSyscallsTest {
    private static final long BENEATH = Syscalls.RESOLVE_BENEATH | Syscalls.RESOLVE_NO_SYMLINKS;
    private final Syscalls sys = new LinuxSyscalls();
    @TempDir
    Path tmp;
    private int dir;

    @BeforeEach
    void open() {
        dir = sys.openat(Syscalls.AT_FDCWD, tmp.toString(), Syscalls.O_PATH | Syscalls.O_DIRECTORY, 0);
    }

    @AfterEach
    void close() {
        sys.close(dir);
    }

    @Test
    void createsEntriesRelativeToADirectoryFd() throws Exception {
        sys.mkdirat(dir, "d", 0750);
        int fd = sys.openat(dir, "d/f", Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_EXCL, 0600);
        try {
            sys.write(fd, "data".getBytes(StandardCharsets.UTF_8), 0, 4);
            sys.fchmod(fd, 0640);
            sys.futimens(fd, 1_700_000_000L, 5);
        } finally {
            sys.close(fd);
        }
        sys.symlinkat("/etc/passwd", dir, "link");
        sys.linkat(dir, "d/f", dir, "hard");
        sys.mknodat(dir, "fifo", Syscalls.S_IFIFO | 0600, 0);

        FileStat f = sys.fstatat(dir, "d/f", Syscalls.AT_SYMLINK_NOFOLLOW);
        assertThat(f.type()).isEqualTo(Syscalls.S_IFREG);
        assertThat(f.mode() & 07777).isEqualTo(0640);
        assertThat(f.size()).isEqualTo(4);
        assertThat(f.nlink()).isEqualTo(2);
        assertThat(sys.fstatat(dir, "d", 0).isDirectory()).isTrue();
        assertThat(sys.fstatat(dir, "link", Syscalls.AT_SYMLINK_NOFOLLOW).type()).isEqualTo(Syscalls.S_IFLNK);
        assertThat(sys.fstatat(dir, "fifo", 0).type()).isEqualTo(Syscalls.S_IFIFO);
        assertThat(Files.getLastModifiedTime(tmp.resolve("d/f"))).isEqualTo(FileTime.from(java.time.Instant.ofEpochSecond(1_700_000_000L, 5)));
        assertThat(Files.readString(tmp.resolve("hard"))).isEqualTo("data");
    }

    @Test
    void openat2RefusesEscapesAndSymlinks() throws Exception {
        Files.createDirectories(tmp.resolve("inside/sub"));
        Files.createSymbolicLink(tmp.resolve("inside/up"), tmp.getParent());
        int ok = sys.openat2(dir, "inside/sub", Syscalls.O_PATH | Syscalls.O_DIRECTORY, BENEATH);
        sys.close(ok);
        assertThatThrownBy(() -> sys.openat2(dir, "../", Syscalls.O_PATH, BENEATH))
                .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(18)); // EXDEV
        assertThatThrownBy(() -> sys.openat2(dir, "inside/up", Syscalls.O_PATH, BENEATH))
                .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(40)); // ELOOP
    }

    @Test
    void fstatatOfAMissingNameIsNotFound() {
        assertThatThrownBy(() -> sys.fstatat(dir, "missing", Syscalls.AT_SYMLINK_NOFOLLOW))
                .isInstanceOfSatisfying(SysException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
                    assertThat(e.getMessage()).contains("fstatat missing");
                });
    }

    @Test
    void unlinkatRemovesFilesAndEmptyDirectories() throws Exception {
        Files.createDirectories(tmp.resolve("e"));
        Files.writeString(tmp.resolve("f"), "x");
        sys.unlinkat(dir, "f", 0);
        sys.unlinkat(dir, "e", Syscalls.AT_REMOVEDIR);
        assertThat(tmp.resolve("f")).doesNotExist();
        assertThat(tmp.resolve("e")).doesNotExist();
    }

    @Test
    void userXattrsRoundTripAndAbsentOnesAreNull() throws Exception {
        Path f = Files.writeString(tmp.resolve("x"), "x");
        byte[] v = {1, 0, 2};
        sys.lsetxattr(f.toString(), "user.one", v);
        int fd = sys.openat(dir, "x", Syscalls.O_RDONLY, 0);
        try {
            sys.fsetxattr(fd, "user.two", "2".getBytes(StandardCharsets.UTF_8));
        } finally {
            sys.close(fd);
        }
        assertThat(sys.lgetxattr(f.toString(), "user.one")).isEqualTo(v);
        assertThat(sys.lgetxattr(f.toString(), "user.absent")).isNull();
        assertThat(sys.llistxattr(f.toString())).contains("user.one", "user.two");
    }

    @Test
    void ownershipAndTimesOfASymlinkItself() throws Exception {
        sys.symlinkat("nowhere", dir, "s");
        int uid = (int) Files.getAttribute(tmp, "unix:uid");
        int gid = (int) Files.getAttribute(tmp, "unix:gid");
        sys.fchownat(dir, "s", uid, gid, Syscalls.AT_SYMLINK_NOFOLLOW);
        sys.utimensat(dir, "s", 1_600_000_000L, 0, Syscalls.AT_SYMLINK_NOFOLLOW);
        assertThat(Files.getLastModifiedTime(tmp.resolve("s"), LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
        assertThat(sys.fstatat(dir, "s", Syscalls.AT_SYMLINK_NOFOLLOW).uid()).isEqualTo(uid);
    }

    @Test
    void writeFullyWritesAWholeNativeSegment() throws Exception {
        byte[] data = new byte[3 << 20];
        new java.util.Random(7).nextBytes(data);
        int fd = sys.openat(dir, "big", Syscalls.O_WRONLY | Syscalls.O_CREAT | Syscalls.O_EXCL, 0600);
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            sys.writeFully(fd, a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, data));
        } finally {
            sys.close(fd);
        }
        assertThat(Files.readAllBytes(tmp.resolve("big"))).isEqualTo(data);
    }

    @Test
    void deviceNumbersRoundTrip() {
        long dev = DeviceNumbers.makedev(259, 70000);
        assertThat(DeviceNumbers.major(dev)).isEqualTo(259);
        assertThat(DeviceNumbers.minor(dev)).isEqualTo(70000);
        assertThat(DeviceNumbers.makedev(1, 3)).isEqualTo(0x103);
    }
}
