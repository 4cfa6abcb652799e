package dev.gantry.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.Device;
import dev.gantry.testkit.Mount;
import dev.gantry.testkit.Mountinfo;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RuntimeSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rootfs, mounts, masked and read-only paths, devices. */
@RequiresRoot
class FilesystemTest {
    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    /** /proc/kcore is absent on this kernel; /proc/timer_list is in runc's default masked list too. */
    @Test
    void maskedFileReadsAsEmpty() throws Exception {
        Assumptions.assumeTrue(Files.readAllBytes(Path.of("/proc/timer_list")).length > 0,
                "the host's /proc/timer_list is empty anyway");
        String out = containers.output(OciSpec.runcDefault().shell("wc -c < /proc/timer_list; wc -c < /proc/keys"));
        assertThat(out.split("\\s+")).containsExactly("0", "0");
    }

    @Test
    void maskedDirectoryIsEmpty() throws Exception {
        try (Stream<Path> host = Files.list(Path.of("/sys/firmware"))) {
            Assumptions.assumeTrue(host.findAny().isPresent(), "the host's /sys/firmware is empty anyway");
        }
        assertThat(containers.output(OciSpec.runcDefault().shell("ls -A /sys/firmware | wc -l"))).isEqualTo("0");
    }

    @Test
    void readonlyPathRejectsWrites() {
        Containers.Made made = containers.run(OciSpec.runcDefault()
                .shell("echo gantry > /proc/sys/kernel/domainname && echo wrote"));
        assertThat(made.result().exitCode()).as(made.result().describe()).isNotZero();
        assertThat(made.result().stdout()).doesNotContain("wrote");
        assertThat(made.result().stderr()).as(made.result().describe()).contains("Read-only file system");
    }

    @Test
    void readonlyRootRejectsWritesButTmpfsMountStaysWritable() {
        String out = containers.output(OciSpec.runcDefault().readonlyRoot(true)
                .mount(Mount.tmpfs("/scratch", "nosuid", "nodev", "size=1m"))
                .shell("touch /x 2>&1 || echo root-refused; touch /scratch/x && echo scratch-ok"));
        assertThat(out).contains("Read-only file system", "root-refused", "scratch-ok");
    }

    @Test
    void writableRootAcceptsWrites() {
        Containers.Made made = containers.run(OciSpec.runcDefault().readonlyRoot(false).shell("touch /x && echo ok"));
        assertThat(made.result().stdout().strip()).as(made.result().describe()).isEqualTo("ok");
        assertThat(made.bundle().rootfs().resolve("x")).exists();
    }

    @Test
    void readOnlyBindMountRejectsWrites() throws Exception {
        Path source = Files.createDirectories(sandbox.dir().resolve("data"));
        Files.writeString(source.resolve("file"), "from-host");
        String out = containers.output(OciSpec.runcDefault()
                .mount(Mount.bind(source.toString(), "/data", "rbind", "ro"))
                .shell("cat /data/file; echo; touch /data/new 2>&1 || echo refused"));
        assertThat(out).contains("from-host", "Read-only file system", "refused");
        assertThat(source.resolve("new")).doesNotExist();
    }

    @Test
    void readWriteBindMountReachesTheHostDirectory() throws Exception {
        Path source = Files.createDirectories(sandbox.dir().resolve("data"));
        containers.output(OciSpec.runcDefault().mount(Mount.bind(source.toString(), "/data", "rbind", "rw"))
                .shell("echo written > /data/out"));
        assertThat(Files.readString(source.resolve("out"))).isEqualTo("written\n");
    }

    @Test
    void tmpfsHasTheRequestedSizeAndMode() {
        String out = containers.output(OciSpec.runcDefault()
                .mount(Mount.tmpfs("/scratch", "nosuid", "size=2m", "mode=1770"))
                .shell("stat -c %a /scratch; df -k /scratch | tail -n 1"));
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("1770");
        assertThat(lines.get(1).split("\\s+")[1]).isEqualTo("2048");
    }

    /** A destination that is a symlink out of the rootfs must resolve inside it (CVE-2021-30465 class). */
    @Test
    void bindDestinationSymlinkCannotEscapeTheRootfs() throws Exception {
        String marker = "gantry-escape-" + Long.toHexString(System.nanoTime());
        Path source = Files.createDirectories(sandbox.dir().resolve("payload"));
        Files.writeString(source.resolve(marker), "payload");
        OciSpec spec = OciSpec.runcDefault().mount(Mount.bind(source.toString(), "/evil", "rbind", "rw"))
                .shell("cat /evil/" + marker + "; echo; echo inside > /evil/written-" + marker + "; ls /etc");
        List<String> hostEtcMountsBefore = Mountinfo.under(Path.of("/etc"));
        String id = sandbox.newId();
        var bundle = sandbox.bundle(spec);
        Files.createSymbolicLink(bundle.rootfs().resolve("evil"), Path.of("/etc"));
        var result = sandbox.cli().invoke("run", "--bundle", bundle.dir().toString(), id);

        assertThat(Path.of("/etc", marker)).as(result.describe()).doesNotExist();
        assertThat(Path.of("/etc", "written-" + marker)).as(result.describe()).doesNotExist();
        assertThat(Mountinfo.under(Path.of("/etc"))).as(result.describe()).isEqualTo(hostEtcMountsBefore);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).as("the mount landed on the rootfs' /etc" + result.describe()).contains("payload");
        assertThat(source.resolve("written-" + marker)).exists();
    }

    @Test
    void mountTypesAndOptionsAreApplied() throws Exception {
        Path source = Files.createDirectories(sandbox.dir().resolve("data"));
        String out = containers.output(OciSpec.runcDefault()
                .mount(Mount.tmpfs("/scratch", "nosuid", "nodev", "noexec", "size=1m"))
                .mount(Mount.bind(source.toString(), "/data", "rbind", "ro", "nosuid", "nodev", "noexec"))
                .shell("cat /proc/self/mountinfo"));
        assertThat(mount(out, "/scratch")).contains(" - tmpfs ").containsPattern(" rw,nosuid,nodev,noexec[, ]");
        assertThat(mount(out, "/data")).containsPattern(" ro,nosuid,nodev,noexec[, ]");
        assertThat(mount(out, "/proc")).contains(" - proc ");
        assertThat(mount(out, "/sys")).contains(" - sysfs ").containsPattern(" ro[, ]");
        assertThat(mount(out, "/dev")).contains(" - tmpfs ");
        assertThat(mount(out, "/dev/pts")).contains(" - devpts ");
        assertThat(mount(out, "/dev/shm")).contains(" - tmpfs ");
        assertThat(mount(out, "/dev/mqueue")).contains(" - mqueue ");
    }

    @Test
    void privateRootfsPropagationHasNoPeerGroup() {
        String out = containers.output(OciSpec.runcDefault().set("linux.rootfsPropagation", "private")
                .shell("cat /proc/self/mountinfo"));
        assertThat(mount(out, "/")).doesNotContain("shared:", "master:");
    }

    /** The last mountinfo line whose mount point is {@code point} (the visible one). */
    private static String mount(String mountinfo, String point) {
        return mountinfo.lines().filter(line -> line.split(" ")[4].equals(point)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no mount at " + point + " in:\n" + mountinfo));
    }

    @Test
    void configuredDeviceAppearsWithItsNumbersAndMode() {
        String out = containers.output(OciSpec.runcDefault()
                .device(Device.character("/dev/gantry-fuse", 10, 229, 0640))
                .shell("stat -c '%F %t:%T %a' /dev/gantry-fuse"));
        assertThat(out).isEqualTo("character special file a:e5 640");
    }

    @Test
    void defaultDevicesAndLinksArePresent() {
        String script = """
                for d in null zero full random urandom tty; do [ -c /dev/$d ] && echo "$d ok" || echo "$d missing"; done
                for d in ptmx fd stdin stdout stderr; do [ -e /dev/$d ] && echo "$d ok" || echo "$d missing"; done
                [ -d /dev/fd/ ] && echo "fd-dir ok" || echo "fd-dir missing"
                echo x > /dev/null && echo "null-write ok"
                [ "$(head -c 5 /dev/zero | wc -c)" = 5 ] && echo "zero-read ok"
                echo x > /dev/full 2>/dev/null || echo "full-write ok"
                """;
        String out = containers.output(OciSpec.runcDefault().shell(script));
        assertThat(out.lines().toList()).as(out).hasSize(15).allMatch(line -> line.endsWith(" ok"));
    }
}
