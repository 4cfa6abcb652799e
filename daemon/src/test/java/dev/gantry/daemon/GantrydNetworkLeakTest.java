package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydNetworkTest.eventually;
import static dev.gantry.daemon.GantrydNetworkTest.run;
import static dev.gantry.daemon.GantrydNetworkTest.sh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The whole host state CNI touches, compared before and after a daemon killed with SIGKILL
 * while its containers ran ({@link CniHostState}): not only what names a container, so an
 * empty chain or a rule that names neither container nor subnet would show. The daemon runs in a
 * network namespace the test makes ({@code nsenter --net}, its mount namespace stays the host's,
 * where the pins of its containers' namespaces outlive it), so that the iptables tables and
 * links it changes are its own and other tests running on the machine at the same time do not
 * change them. That namespace's FORWARD policy is DROP, so the firewall plugin's rules are part
 * of what is compared.
 */
@RequiresRoot
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydNetworkLeakTest {
    private static final String DOCKER = "/usr/bin/docker";
    private static final String IMAGE = "busybox:it";

    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final int octet = GantrydNetworkTest.OCTET;

    @Test
    void aDaemonKilledHardLeavesTheHostAsItFoundItOnceItsContainersAndNetworksAreRemoved() throws Exception {
        Path launcher = Path.of(System.getProperty("gantryd.launcher"));
        Path dir = Files.createTempDirectory("gantryd-netleak-");
        String ns = "gtlk" + suffix;
        Path ipam = dir.resolve("root/engine/network/ipam");
        GantrydProcess first = null;
        GantrydProcess second = null;
        List<Long> containerPids = new ArrayList<>();
        try {
            run("ip", "netns", "add", ns);
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            run("ip", "netns", "exec", ns, "iptables", "-P", "FORWARD", "DROP");
            Path wrapper = dir.resolve("gantryd-in-netns");
            Files.writeString(wrapper, "#!/bin/sh\nexec nsenter --net=/run/netns/" + ns + " " + launcher + " \"$@\"\n");
            assertThat(wrapper.toFile().setExecutable(true)).isTrue();
            CniHostState pristine = CniHostState.read(ns, ipam);

            List<String> args = List.of("--bip", "10." + octet + ".120.0/24");
            first = new GantrydProcess(wrapper, dir, args);
            first.importBusybox(DOCKER, IMAGE);
            String net = "leak-" + suffix;
            first.ok(DOCKER, "network", "create", "--subnet", "10." + octet + ".121.0/24", "-o",
                    "com.docker.network.bridge.name=gtl" + suffix, net);
            String netDir = "gantry-" + first.ok(DOCKER, "network", "inspect", "--format", "{{.Id}}", net).trim().substring(0, 12);
            String victim = first.ok(DOCKER, "run", "-d", "--name", "victim", "-p", "127.0.0.1::80", IMAGE, "httpd", "-f", "-p", "80")
                    .trim();
            first.ok(DOCKER, "run", "-d", "--name", "survivor", "--network", net, "--ip", "10." + octet + ".121.9", "-p", "8080",
                    IMAGE, "httpd", "-f", "-p", "8080");
            first.rememberContainers(DOCKER);
            long victimPid = Long.parseLong(first.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", "victim").trim());
            containerPids.add(victimPid);
            containerPids.add(Long.parseLong(first.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", "survivor").trim()));

            CniHostState running = CniHostState.read(ns, ipam);
            String defaultBridge = first.bridge;
            // What the comparison must catch is there while the containers run: per-container
            // chains (bridge's masquerade, portmap's DNAT), firewall accept rules, veths, leases.
            assertThat(running.leftSince(pristine, defaultBridge, Set.of()))
                    .anyMatch(d -> d.startsWith("nat added: :CNI-DN-"))
                    .anyMatch(d -> d.startsWith("nat added: -A POSTROUTING -s 10." + octet + ".120.") && d.contains(victim))
                    .anyMatch(d -> d.startsWith("filter added: -A CNI-FORWARD -d 10." + octet + ".121.9/32"))
                    .anyMatch(d -> d.startsWith("link added: veth"))
                    .contains("IPAM file added: " + netDir + "/10." + octet + ".121.9");

            first.killHard();
            Files.delete(dir.resolve("run/gantryd.pid"));
            ProcessHandle.of(victimPid).ifPresent(ProcessHandle::destroyForcibly);
            for (int i = 0; i < 100 && Files.exists(Path.of("/proc/" + victimPid)); i++) {
                Thread.sleep(50);
            }
            second = new GantrydProcess(wrapper, dir, args);
            assertThat(second.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", "victim")).isEqualTo("exited\n");
            assertThat(second.ok(DOCKER, "exec", "survivor", "ip", "-4", "-o", "addr", "show", "eth0"))
                    .contains("10." + octet + ".121.9/24");

            second.ok(DOCKER, "rm", "-f", "victim", "survivor");
            second.ok(DOCKER, "network", "rm", net);
            // host-local's bookkeeping of the default network, which stays, is in the CNI network's directory.
            String defaultDir = "gantry-" + second.ok(DOCKER, "network", "inspect", "--format", "{{.Id}}", "bridge").trim().substring(0, 12);
            eventually(() -> assertThat(CniHostState.read(ns, ipam).leftSince(pristine, defaultBridge, Set.of(defaultDir)))
                    .as("host state the daemon should not have kept").isEmpty());
            assertThat(cniCache(dir)).as("the CNI result cache").isEmpty();
            assertThat(second.ok(DOCKER, "ps", "-aq")).isEmpty();
        } finally {
            if (second != null) {
                second.close();
            } else if (first != null) {
                // A test that failed between the kill and the second daemon: no daemon removes the containers.
                containerPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                first.close();
            }
            // The namespace takes its bridges, veths and iptables tables with it.
            sh("ip", "netns", "del", ns);
        }
    }

    private static List<String> cniCache(Path dir) throws Exception {
        Path cache = dir.resolve("root/engine/network/cni-cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(Files::isRegularFile).map(Path::toString).toList();
        }
    }
}
