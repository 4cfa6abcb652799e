package dev.gantry.runtime.it;

import static dev.gantry.runtime.it.Containers.BEYOND_RUNC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.Namespace;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RuntimeSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Namespaces: what a container sees of itself and of the host. */
@RequiresRoot
class IsolationTest {
    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    @Test
    void processIsPidOneInItsPidNamespace() {
        assertThat(containers.output(OciSpec.runcDefault().shell("echo $$"))).isEqualTo("1");
    }

    @Test
    void procOneIsTheContainersOwnProcess() {
        // The trailing echo keeps sh from exec'ing tr, so sh itself stays PID 1.
        String out = containers.output(OciSpec.runcDefault().shell("tr '\\0' ' ' < /proc/1/cmdline; echo"));
        assertThat(out).startsWith("sh -c tr");
    }

    @Test
    void hasItsOwnHostnameAndLeavesTheHostsAlone() throws Exception {
        String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        String out = containers.output(OciSpec.runcDefault().hostname("gantry-uts").shell("hostname"));
        assertThat(out).isEqualTo("gantry-uts");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()).isEqualTo(hostBefore);
    }

    /** runc 1.1 ignores {@code domainname} (added in runc 1.2). */
    @Test
    @Tag(BEYOND_RUNC)
    void hasItsOwnDomainname() {
        String out = containers.output(OciSpec.runcDefault().domainname("gantry.test")
                .shell("cat /proc/sys/kernel/domainname"));
        assertThat(out).isEqualTo("gantry.test");
    }

    @Test
    void newNetworkNamespaceHasOnlyLoopback() {
        String out = containers.output(OciSpec.runcDefault().shell("ls /sys/class/net"));
        assertThat(out.split("\\s+")).containsExactly("lo");
    }

    /** As with runc: a new network namespace's loopback is up, so 127.0.0.1 works inside. */
    @Test
    void newNetworkNamespaceHasLoopbackUp() {
        String out = containers.output(OciSpec.runcDefault().shell("ip -o link show lo"));
        assertThat(out).contains("<LOOPBACK,UP,LOWER_UP>");
    }

    @Test
    void seesOnlyItsRootfsNotTheHost() throws Exception {
        Path marker = Files.createTempFile(Path.of("/tmp"), "gantry-host-marker-", "");
        try {
            String out = containers.output(OciSpec.runcDefault().shell(
                    "if [ -e " + marker + " ]; then echo visible; else echo absent; fi; ls -A /"));
            List<String> lines = out.lines().toList();
            assertThat(lines.getFirst()).isEqualTo("absent");
            List<String> inside = lines.stream().skip(1).flatMap(l -> Arrays.stream(l.split("\\s+"))).toList();
            try (Stream<Path> entries = Files.list(sandbox.dir().resolve("bundles/b1/rootfs"))) {
                assertThat(inside).containsExactlyInAnyOrderElementsOf(
                        entries.map(p -> p.getFileName().toString()).toList());
            }
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void joinsAnExistingNamespaceByPath() throws Exception {
        Containers.Made first = containers.started(OciSpec.runcDefault().hostname("first").args("sleep", "1000"));
        long pid = sandbox.cli().state(first.id()).pid();
        String netns = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        String out = containers.output(OciSpec.runcDefault()
                .namespace(new Namespace("network", "/proc/" + pid + "/ns/net"))
                .namespace(new Namespace("uts", "/proc/" + pid + "/ns/uts"))
                .remove("hostname")
                .shell("readlink /proc/self/ns/net; hostname"));
        assertThat(out.split("\n")).containsExactly(netns, "first");
    }

    @Test
    void cgroupNamespaceShowsTheContainersCgroupAsRoot() {
        String out = containers.output(OciSpec.runcDefault().namespace("cgroup").shell("cat /proc/self/cgroup"));
        assertThat(out.lines().toList()).isNotEmpty().allMatch(line -> line.endsWith(":/"));
    }

    /** runc 1.1 predates time namespaces (runc 1.2). */
    @Test
    @Tag(BEYOND_RUNC)
    void timeNamespaceAppliesTheBoottimeOffset() {
        long tenDays = 10L * 24 * 3600;
        String out = containers.output(OciSpec.runcDefault().namespace("time")
                .set("linux.timeOffsets", Map.of("boottime", Map.of("secs", tenDays, "nanosecs", 0)))
                .shell("cut -d. -f1 /proc/uptime"));
        assertThat(Long.parseLong(out)).isGreaterThanOrEqualTo(tenDays);
    }

    @Test
    void sysctlAppliesInsideTheNewNetworkNamespaceOnly() throws Exception {
        Path hostForward = Path.of("/proc/sys/net/ipv4/ip_forward");
        String hostBefore = Files.readString(hostForward).strip();
        String wanted = hostBefore.equals("1") ? "0" : "1";
        String out = containers.output(OciSpec.runcDefault().sysctl("net.ipv4.ip_forward", wanted)
                .shell("cat /proc/sys/net/ipv4/ip_forward"));
        assertThat(out).isEqualTo(wanted);
        assertThat(Files.readString(hostForward).strip()).isEqualTo(hostBefore);
    }
}
