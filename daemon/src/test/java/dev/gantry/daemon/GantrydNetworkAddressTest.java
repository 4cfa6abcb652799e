package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydNetworkTest.eventually;
import static dev.gantry.daemon.GantrydNetworkTest.sh;
import static dev.gantry.daemon.GantrydNetworkTest.veths;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.BusyboxRootfs;
import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Addresses and ports a container asks for, through the docker CLI: a static {@code --ip} on a
 * user network (the container has it; a second claim of it is refused and leaves nothing), and
 * {@code -P} publishing the ports an image exposes itself (from {@code import --change EXPOSE}),
 * reached through the host's loopback. Subnets are in the JVM's 10.OCTET.0.0/16
 * ({@link GantrydNetworkTest#OCTET}), third octets 110–119.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydNetworkAddressTest {
    private static final String DOCKER = "/usr/bin/docker";
    private static final String IMAGE = "busybox:it";

    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final int octet = GantrydNetworkTest.OCTET;
    private final List<String> networks = new ArrayList<>();
    private GantrydProcess gantryd;

    @BeforeAll
    void startDaemon() throws Exception {
        gantryd = new GantrydProcess(Path.of(System.getProperty("gantryd.launcher")), Files.createTempDirectory("gantryd-addr-"),
                List.of("--bip", "10." + octet + ".110.0/24"));
        gantryd.importBusybox(DOCKER, IMAGE);
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (gantryd == null) {
            return;
        }
        try {
            GantrydNetworkTest.removeAll(gantryd, networks, "10\\." + octet + "\\.11[0-9]\\.");
        } finally {
            gantryd.close();
            for (String n : networks) {
                sh("ip", "link", "delete", bridgeOf(n));
            }
        }
    }

    private String bridgeOf(String network) {
        return "gta" + network.substring(0, 1) + suffix;
    }

    private String network(String name, int third) throws Exception {
        String full = name + "-" + suffix;
        networks.add(full);
        gantryd.ok(DOCKER, "network", "create", "--subnet", "10." + octet + "." + third + ".0/24", "-o",
                "com.docker.network.bridge.name=" + bridgeOf(full), full);
        return full;
    }

    @Test
    void aStaticAddressIsTheContainersAndASecondClaimOfItIsRefusedLeavingNothing() throws Exception {
        String net = network("static", 111);
        String address = "10." + octet + ".111.77";
        String owner = "owner-" + suffix;
        String claimant = "claim-" + suffix;
        gantryd.ok(DOCKER, "run", "-d", "--name", owner, "--network", net, "--ip", address, IMAGE, "sleep", "300");
        assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}} "
                + "{{(index .NetworkSettings.Networks \"" + net + "\").IPAMConfig.IPv4Address}}", owner))
                .isEqualTo(address + " " + address + "\n");
        assertThat(gantryd.ok(DOCKER, "exec", owner, "ip", "-4", "addr", "show", "eth0")).contains("inet " + address + "/24 ");
        String bridge = bridgeOf(net);
        assertThat(veths(bridge)).hasSize(1);
        assertThat(leases(net)).containsExactly(address);

        var refused = gantryd.docker(DOCKER, "run", "-d", "--name", claimant, "--network", net, "--ip", address, IMAGE, "sleep", "300");
        gantryd.rememberContainers(DOCKER);
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.stderr()).as("the error names the address, the network and the holder")
                .contains("Address already in use: " + address + " on network " + net + " is held by container " + owner);
        String claimantId = gantryd.ok(DOCKER, "inspect", "--format", "{{.Id}}", claimant).trim();
        assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Status}}", claimant)).isEqualTo("created\n");
        assertThat(veths(bridge)).as("veths after the refused start").hasSize(1);
        assertThat(leases(net)).as("leases after the refused start").containsExactly(address);
        assertThat(sh("iptables-save").stdout()).as("rules of the refused container").doesNotContain(claimantId);
        eventually(() -> assertThat(pins()).as("the namespace made for the refused start").doesNotContain(claimantId));
        assertThat(gantryd.ok(DOCKER, "network", "inspect", "--format", "{{range .Containers}}{{.Name}} {{end}}", net))
                .isEqualTo(owner + " \n");
        assertThat(gantryd.ok(DOCKER, "exec", owner, "ip", "-4", "addr", "show", "eth0")).as("the owner keeps its address")
                .contains("inet " + address + "/24 ");

        // Once the owner is gone, the address is free again: the refusal held nothing of it.
        gantryd.ok(DOCKER, "rm", "-f", owner);
        eventually(() -> assertThat(leases(net)).isEmpty());
        gantryd.ok(DOCKER, "start", claimant);
        assertThat(gantryd.ok(DOCKER, "exec", claimant, "ip", "-4", "addr", "show", "eth0")).contains("inet " + address + "/24 ");
    }

    @Test
    void anAddressIsFreeForTheNextStartOnceItsHolderStopped() throws Exception {
        String net = network("handover", 112);
        String address = "10." + octet + ".112.9";
        String first = "first-" + suffix;
        String second = "second-" + suffix;
        gantryd.ok(DOCKER, "run", "-d", "--name", first, "--network", net, "--ip", address, IMAGE, "sleep", "300");
        gantryd.ok(DOCKER, "create", "--name", second, "--network", net, "--ip", address, IMAGE, "sleep", "300");
        gantryd.rememberContainers(DOCKER);
        String holder = first;
        String next = second;
        // As a script's "docker stop && docker start", without the CLI's own start-up between the two
        // requests: the stop's DEL, which frees the lease, is still queued when the start comes.
        for (int i = 0; i < 6; i++) {
            var pair = sh("curl", "-sS", "--unix-socket", gantryd.socket.toString(), "-X", "POST", "-w", " %{http_code}\n",
                    "http://gantry/containers/" + holder + "/stop?t=0", "http://gantry/containers/" + next + "/start");
            assertThat(pair.stdout()).as("round " + i + ": the stop's and the start's answers").isEqualTo(" 204\n 204\n");
            assertThat(gantryd.ok(DOCKER, "exec", next, "ip", "-4", "addr", "show", "eth0")).as("round " + i)
                    .contains("inet " + address + "/24 ");
            String was = holder;
            holder = next;
            next = was;
        }
        var refused = gantryd.docker(DOCKER, "start", next);
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.stderr()).as("a holder that runs still gets the clear refusal")
                .contains("Address already in use: " + address + " on network " + net + " is held by container " + holder);
        gantryd.ok(DOCKER, "rm", "-f", first, second);
        eventually(() -> assertThat(leases(net)).isEmpty());
    }

    @Test
    void publishAllPublishesThePortsTheImageExposes() throws Exception {
        String image = "exposing-" + suffix + ":it";
        Path tar = gantryd.dir.resolve("exposing.tar");
        Process p = new ProcessBuilder("tar", "--numeric-owner", "-C", BusyboxRootfs.shared().toString(), "-cf", tar.toString(), ".")
                .inheritIO().start();
        assertThat(p.waitFor()).isZero();
        gantryd.ok(DOCKER, "import", "--change", "EXPOSE 8080/tcp", "--change", "CMD [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/etc\"]",
                tar.toString(), image);
        assertThat(gantryd.ok(DOCKER, "image", "inspect", "--format", "{{json .Config.ExposedPorts}}", image))
                .isEqualTo("{\"8080/tcp\":{}}\n");
        String name = "exposed-" + suffix;
        gantryd.ok(DOCKER, "run", "-d", "--name", name, "-P", "--expose", "9090/udp", image);
        assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{json .Config.ExposedPorts}}", name))
                .as("the container's config merges the image's ports with the request's, as Docker's inspect does")
                .isEqualTo("{\"8080/tcp\":{},\"9090/udp\":{}}\n");
        String listed = gantryd.ok(DOCKER, "port", name);
        assertThat(listed).as("the exposed ports are published, and only they").contains("8080/tcp -> 0.0.0.0:", "9090/udp -> 0.0.0.0:").hasLineCount(2);
        int hostPort = hostPortOf(listed, "8080/tcp");
        int udpPort = hostPortOf(listed, "9090/udp");
        assertThat(hostPort).isPositive();
        assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{json .NetworkSettings.Ports}}", name))
                .isEqualTo("{\"8080/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"" + hostPort + "\"}],"
                        + "\"9090/udp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"" + udpPort + "\"}]}\n");
        String hostname = gantryd.ok(DOCKER, "inspect", "--format", "{{.Config.Hostname}}", name).trim();
        assertThat(GantrydNetworkTest.httpGet(hostPort, "/hostname")).as("the container's httpd through 127.0.0.1:" + hostPort)
                .isEqualTo(hostname + "\n");
        gantryd.ok(DOCKER, "rm", "-f", name);
        eventually(() -> assertThat(sh("iptables-save", "-t", "nat").stdout()).as("the port mapping after rm")
                .doesNotContain("--dport " + hostPort + " "));
    }

    @Test
    void commitChangesAddToThePortsAndCommandOfTheImage() throws Exception {
        String source = "tocommit-" + suffix;
        String image = "committed-" + suffix + ":it";
        gantryd.ok(DOCKER, "create", "--name", source, "--network", "none", IMAGE, "true");
        gantryd.ok(DOCKER, "commit", "--change", "EXPOSE 9000/udp 8443", "--change", "ENV MODE=\"served here\"",
                "--change", "CMD [\"httpd\", \"-f\", \"-p\", \"8443\"]", source, image);
        assertThat(gantryd.ok(DOCKER, "image", "inspect", "--format", "{{json .Config.ExposedPorts}} {{json .Config.Cmd}} {{json .Config.Env}}",
                image)).isEqualTo("{\"8443/tcp\":{},\"9000/udp\":{}} [\"httpd\",\"-f\",\"-p\",\"8443\"] [\"MODE=served here\"]\n");
        var refused = gantryd.docker(DOCKER, "commit", "--change", "RUN true", source, image + "-bad");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("RUN is not a valid change command");
    }

    private List<String> leases(String net) throws Exception {
        String id = gantryd.ok(DOCKER, "network", "inspect", "--format", "{{.Id}}", net).trim();
        Path dir = gantryd.dir.resolve("root/engine/network/ipam/gantry-" + id.substring(0, 12));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).sorted().toList();
        }
    }

    private List<String> pins() throws Exception {
        Path netns = gantryd.dir.resolve("root/engine/network/netns");
        if (!Files.isDirectory(netns)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(netns)) {
            return s.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** The host port of {@code key}'s line in {@code docker port}'s output ({@code 8080/tcp -> 0.0.0.0:32768}). */
    private static int hostPortOf(String listed, String key) {
        String line = listed.lines().filter(l -> l.startsWith(key + " -> ")).findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not in docker port's output: " + listed));
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }
}
