package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * What gantryd's networking leaves on the host when things go wrong: a daemon killed with
 * SIGKILL whose container dies while no daemon runs (the next daemon must run CNI DEL from the
 * cache: veth, port-mapping rules and lease gone), and a missing CNI plugin binary (the start
 * fails naming the plugin, nothing is half-configured).
 */
@RequiresRoot
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydNetworkRestartTest {
    private static final String DOCKER = "/usr/bin/docker";
    private static final String IMAGE = "busybox:it";

    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final int octet = GantrydNetworkTest.OCTET;

    private static void importImage(GantrydProcess d) throws Exception {
        d.importBusybox(DOCKER, IMAGE);
    }

    /** iptables rules (nat and filter) that name one of {@code marks}. */
    private static Set<String> rulesNaming(List<String> marks) throws Exception {
        Set<String> out = new LinkedHashSet<>();
        for (String line : GantrydNetworkTest.sh("iptables-save").stdout().split("\n")) {
            if (marks.stream().anyMatch(line::contains)) {
                out.add(line);
            }
        }
        return out;
    }

    private static List<String> leases(Path ipamRoot) throws Exception {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(ipamRoot)) {
            try (Stream<Path> s = Files.walk(ipamRoot)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).forEach(out::add);
            }
        }
        return out;
    }

    /** The container ids whose network namespace gantryd has pinned (it makes them before the runtime's create). */
    private static List<String> pins(Path dir) throws Exception {
        Path netns = dir.resolve("root/engine/network/netns");
        if (!Files.isDirectory(netns)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(netns)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aDaemonKilledHardReleasesTheNetworkOfContainersThatDiedMeanwhile() throws Exception {
        Path launcher = Path.of(System.getProperty("gantryd.launcher"));
        Path dir = Files.createTempDirectory("gantryd-netkill-");
        List<String> args = List.of("--bip", "10." + octet + ".100.0/24");
        GantrydProcess first = new GantrydProcess(launcher, dir, args);
        GantrydProcess second = null;
        String net = "kill-" + suffix;
        String userBridge = "gtk" + suffix;
        Path ipam = dir.resolve("root/engine/network/ipam");
        try {
            importImage(first);
            first.ok(DOCKER, "network", "create", "--subnet", "10." + octet + ".101.0/24", "-o",
                    "com.docker.network.bridge.name=" + userBridge, net);
            String victim = first.ok(DOCKER, "run", "-d", "--name", "victim", "-p", "127.0.0.1::80", IMAGE, "httpd", "-f", "-p", "80")
                    .trim();
            String survivor = first.ok(DOCKER, "run", "-d", "--name", "survivor", "--network", net, IMAGE, "sleep", "300").trim();
            first.rememberContainers(DOCKER);
            String victimPort = first.ok(DOCKER, "port", "victim", "80/tcp").trim();
            long victimPid = Long.parseLong(first.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", "victim").trim());
            List<String> marks = List.of(victim, survivor, "10." + octet + ".10");
            assertThat(GantrydNetworkTest.veths(first.bridge)).hasSize(1);
            assertThat(GantrydNetworkTest.veths(userBridge)).hasSize(1);
            assertThat(rulesNaming(List.of(victim))).isNotEmpty();
            assertThat(leases(ipam)).hasSize(2);
            assertThat(pins(dir)).containsExactlyInAnyOrder(victim, survivor);

            first.killHard();
            // A killed daemon leaves its pid file, which the next one's start is awaited by.
            Files.delete(dir.resolve("run/gantryd.pid"));
            ProcessHandle.of(victimPid).ifPresent(ProcessHandle::destroyForcibly);
            for (int i = 0; i < 100 && Files.exists(Path.of("/proc/" + victimPid)); i++) {
                Thread.sleep(50);
            }

            second = new GantrydProcess(launcher, dir, args);
            assertThat(second.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "victim")).isEqualTo("exited\n");
            assertThat(GantrydNetworkTest.veths(first.bridge)).as("the dead container's veth").isEmpty();
            assertThat(rulesNaming(List.of(victim))).as("the dead container's rules").isEmpty();
            assertThat(GantrydNetworkTest.sh("iptables-save", "-t", "nat").stdout())
                    .doesNotContain("--dport " + victimPort.substring(victimPort.lastIndexOf(':') + 1) + " ");
            assertThat(leases(ipam)).as("only the survivor's lease").hasSize(1);
            assertThat(pins(dir)).as("the dead container's namespace").containsExactly(survivor);
            assertThat(second.ok(DOCKER, "exec", "survivor", "ip", "-4", "-o", "addr")).contains("10." + octet + ".101.");

            second.ok(DOCKER, "rm", "-f", "victim", "survivor");
            second.ok(DOCKER, "network", "rm", net);
            GantrydNetworkTest.eventually(() -> assertThat(GantrydNetworkTest.veths(first.bridge)).isEmpty());
            assertThat(GantrydNetworkTest.sh("ip", "link", "show", userBridge).exitCode()).as("the removed network's bridge").isNotZero();
            GantrydNetworkTest.eventually(() -> assertThat(rulesNaming(marks)).as("rules naming the test's containers or subnets").isEmpty());
            GantrydNetworkTest.eventually(() -> assertThat(leases(ipam)).as("leases").isEmpty());
            GantrydNetworkTest.eventually(() -> assertThat(pins(dir)).as("namespaces").isEmpty());
        } finally {
            if (second != null) {
                second.close();
            } else {
                first.close();
            }
            GantrydNetworkTest.sh("ip", "link", "delete", userBridge);
        }
    }

    @Test
    void aContainerAdoptedFromADaemonInAMountNamespaceOfItsOwnIsPinnedAgain() throws Exception {
        Path launcher = Path.of(System.getProperty("gantryd.launcher"));
        Path dir = Files.createTempDirectory("gantryd-netpin-");
        // The first daemon's namespace pins die with its private mount namespace when it is killed.
        Path wrapper = dir.resolve("gantryd-private-mounts");
        Files.writeString(wrapper, "#!/bin/sh\nexec unshare --mount --propagation private " + launcher + " \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        List<String> args = List.of("--bip", "10." + octet + ".103.0/24");
        GantrydProcess first = new GantrydProcess(wrapper, dir, args);
        GantrydProcess second = null;
        try {
            importImage(first);
            String id = first.ok(DOCKER, "run", "-d", "--name", "pinned", IMAGE, "sleep", "300").trim();
            assertThat(rulesNaming(List.of(id))).isNotEmpty();
            first.killHard();
            Files.delete(dir.resolve("run/gantryd.pid"));
            second = new GantrydProcess(launcher, dir, args);
            second.ok(DOCKER, "rm", "-f", "pinned");
            GantrydNetworkTest.eventually(() -> assertThat(rulesNaming(List.of(id))).as("masquerade rules of the adopted container").isEmpty());
            GantrydNetworkTest.eventually(() -> assertThat(GantrydNetworkTest.veths(first.bridge)).isEmpty());
        } finally {
            if (second != null) {
                second.close();
            } else {
                first.close();
            }
        }
    }

    /** {@code dir/cni}: a plugin directory with links to every plugin Debian installs but portmap. */
    private static Path pluginsButPortmap(Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("cni"));
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/cni"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("portmap")) {
                    Files.createSymbolicLink(plugins.resolve(p.getFileName()), p);
                }
            }
        }
        return plugins;
    }

    /** A daemon on {@code dir} whose default bridge has 10.OCTET.third.0/24 and whose CNI plugins are {@code plugins}. */
    private GantrydProcess withPlugins(Path dir, int third, Path plugins) throws Exception {
        return GantrydProcess.withBusybox(dir, List.of("--bip", "10." + octet + "." + third + ".0/24", "--cni-plugin-dir", plugins.toString()));
    }

    @Test
    void aMissingPluginFailsTheStartByNameAndLeavesNothing() throws Exception {
        Path dir = Files.createTempDirectory("gantryd-noplugin-");
        Path plugins = pluginsButPortmap(dir);
        try (GantrydProcess d = withPlugins(dir, 102, plugins)) {
            var r = d.docker(DOCKER, "run", "--name", "orphan", "-p", "80", IMAGE, "true");
            d.rememberContainers(DOCKER);
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("CNI plugin portmap", plugins.toString());
            assertThat(GantrydNetworkTest.veths(d.bridge)).isEmpty();
            assertThat(leases(dir.resolve("root/engine/network/ipam"))).isEmpty();
            assertThat(d.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "orphan")).isEqualTo("created\n");
            GantrydNetworkTest.eventually(() -> assertThat(pins(dir)).as("the namespace made for the failed start").isEmpty());
        }
    }

    @Test
    void aPluginFailingAfterTheBridgeFailsTheStartAndLeavesNothing() throws Exception {
        Path dir = Files.createTempDirectory("gantryd-badplugin-");
        Path plugins = pluginsButPortmap(dir);
        // ADD fails after bridge added the veth, address and masquerade rules; DEL is the real plugin's.
        Path portmap = plugins.resolve("portmap");
        Files.writeString(portmap, "#!/bin/sh\nif [ \"$CNI_COMMAND\" = ADD ]; then cat >/dev/null;"
                + " echo '{\"cniVersion\":\"1.0.0\",\"code\":999,\"msg\":\"portmap refuses\"}'; exit 1; fi\nexec /usr/lib/cni/portmap\n");
        portmap.toFile().setExecutable(true);
        try (GantrydProcess d = withPlugins(dir, 104, plugins)) {
            var r = d.docker(DOCKER, "run", "--name", "refused", "-p", "127.0.0.1::80", IMAGE, "true");
            d.rememberContainers(DOCKER);
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("portmap refuses");
            String id = d.ok(DOCKER, "inspect", "--format", "{{.Id}}", "refused").trim();
            assertThat(GantrydNetworkTest.veths(d.bridge)).isEmpty();
            assertThat(leases(dir.resolve("root/engine/network/ipam"))).isEmpty();
            assertThat(rulesNaming(List.of(id))).as("the bridge plugin's masquerade rules").isEmpty();
            GantrydNetworkTest.eventually(() -> assertThat(pins(dir)).as("the namespace made for the failed start").isEmpty());
        }
    }
}
