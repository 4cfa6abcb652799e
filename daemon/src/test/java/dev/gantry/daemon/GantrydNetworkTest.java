package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.ClassResource;
import dev.gantry.testkit.RequiresRoot;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gantryd's networking driven by the docker CLI: the default bridge with NAT to an upstream host
 * the test makes in a network namespace of its own (198.51.100.0/24, a documentation range:
 * traffic never leaves the machine), user networks with names resolved by the daemon's DNS
 * server, published TCP and UDP ports reached through 127.0.0.1, mode {@code container:},
 * connect and disconnect of a running container, bad input. Every bridge, subnet and namespace
 * name carries a random suffix so that parallel runs do not meet; everything is removed even
 * when a test fails.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydNetworkTest {
    /** 10.OCTET.0.0/16 holds every subnet of this JVM's network tests: one not routed on the host. */
    static final int OCTET = freeOctet();
    @RegisterExtension
    static final ClassResource<GantrydProcess> GANTRYD = new ClassResource<>(GantrydProcess.class,
            () -> GantrydProcess.withBusybox(Files.createTempDirectory("gantryd-net-"), List.of("--bip", "10." + OCTET + ".0.0/24")),
            GantrydProcess::close);

    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final int octet = OCTET;
    private final List<String> networks = new ArrayList<>();
    private final GantrydProcess gantryd;

    GantrydNetworkTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    /** Before the daemon closes: what the tests made is removed, and it leaves no veth and no iptables rule behind. */
    @AfterAll
    void removeNetworks() throws Exception {
        removeAll(gantryd, networks, "10\\." + octet + "\\.(0|10|20|30|40|41|50|60)\\.");
    }

    /**
     * Removes every container of {@code d} and the user {@code networks}, then waits until no veth
     * is left on the default bridge and no iptables rule matches {@code subnets} (a pattern).
     */
    static void removeAll(GantrydProcess d, List<String> networks, String subnets) throws Exception {
        d.rememberContainers(DOCKER);
        for (String id : d.containerIds()) {
            d.docker(DOCKER, "rm", "-f", id);
        }
        for (String n : networks) {
            d.docker(DOCKER, "network", "rm", n);
        }
        eventually(() -> assertThat(veths(d.bridge)).as("veths left on the default bridge").isEmpty());
        eventually(() -> assertThat(sh("iptables-save").stdout()).as("iptables rules left").doesNotContainPattern(subnets));
    }

    private String subnet(int third) {
        return "10." + octet + "." + third + ".0/24";
    }

    private String network(String name, int third) throws Exception {
        String full = name + "-" + suffix;
        gantryd.ok(DOCKER, "network", "create", "--subnet", subnet(third), "-o", "com.docker.network.bridge.name=gtn" + third + suffix,
                full);
        networks.add(full);
        return full;
    }

    @Test
    void egressLeavesThroughNatToAnUpstreamHost() throws Exception {
        String ns = "gtup" + suffix;
        String hostEnd = "gtuh" + suffix;
        int block = ThreadLocalRandom.current().nextInt(1, 63) * 4;
        String hostAddress = "198.51.100." + (block + 1);
        String upstream = "198.51.100." + (block + 2);
        Path www = Files.createDirectories(gantryd.dir.resolve("upstream/cgi-bin"));
        Path cgi = www.resolve("peer");
        Files.writeString(cgi, "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REMOTE_ADDR\"\n");
        cgi.toFile().setExecutable(true);
        Process httpd = null;
        try {
            run("ip", "netns", "add", ns);
            run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "addr", "add", hostAddress + "/30", "dev", hostEnd);
            run("ip", "link", "set", hostEnd, "up");
            run("ip", "netns", "exec", ns, "ip", "addr", "add", upstream + "/30", "dev", "eth0");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            // No route back to the containers' subnet: only masquerading lets an answer return.
            httpd = new ProcessBuilder("ip", "netns", "exec", ns, "busybox", "httpd", "-f", "-p", "8080", "-h",
                    gantryd.dir.resolve("upstream").toString()).redirectErrorStream(true).start();
            String seen = gantryd.ok(DOCKER, "run", "--rm", IMAGE, "sh", "-c",
                    "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://" + upstream + ":8080/cgi-bin/peer && exit 0; sleep 0.2; done; exit 1");
            assertThat(seen.trim()).as("the upstream sees the host's address, not the container's")
                    .isIn(hostAddress, "[::ffff:" + hostAddress + "]");
            // The other way: the upstream host reaches a published port at the host's address (PREROUTING DNAT).
            int port = freePort();
            String web = "pubup-" + suffix;
            gantryd.ok(DOCKER, "run", "-d", "--name", web, "-p", port + ":80", IMAGE, "httpd", "-f", "-p", "80", "-h", "/etc");
            String hostname = gantryd.ok(DOCKER, "inspect", "--format", "{{.Config.Hostname}}", web).trim();
            Out fromUpstream = sh("ip", "netns", "exec", ns, "busybox", "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://"
                    + hostAddress + ":" + port + "/hostname && exit 0; sleep 0.2; done; exit 1");
            assertThat(fromUpstream.stdout().trim()).as(fromUpstream.toString()).isEqualTo(hostname);
        } finally {
            if (httpd != null) {
                httpd.destroyForcibly().waitFor();
            }
            sh("ip", "netns", "del", ns);
            sh("ip", "link", "del", hostEnd);
        }
    }

    @Test
    void containersOnAUserNetworkReachEachOtherByNameAndAlias() throws Exception {
        String net = network("names", 10);
        String server = "srv-" + suffix;
        gantryd.ok(DOCKER, "run", "-d", "--name", server, "--network", net, "--network-alias", "web-" + suffix, IMAGE,
                "httpd", "-f", "-p", "80", "-h", "/etc");
        String out = gantryd.ok(DOCKER, "run", "--rm", "--network", net, IMAGE, "sh", "-c",
                "cat /etc/resolv.conf; nslookup " + server + " && ping -c 1 -W 2 " + server + " && wget -qO- http://web-" + suffix
                        + "/hostname");
        assertThat(out).contains("nameserver 10." + octet + ".10.1", "Address: 10." + octet + ".10.", "1 packets received");
        String serverHostname = gantryd.ok(DOCKER, "inspect", "--format", "{{.Config.Hostname}}", server).trim();
        assertThat(out.trim()).endsWith(serverHostname);
        // Names of other hosts are forwarded: a name nobody has is NXDOMAIN, not a hang.
        var unknown = gantryd.docker(DOCKER, "run", "--rm", "--network", net, IMAGE, "nslookup", "nosuch-" + suffix + ".invalid");
        assertThat(unknown.exitCode()).isNotZero();
        String ip = gantryd.ok(DOCKER, "inspect", "--format", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}", server);
        assertThat(ip.trim()).startsWith("10." + octet + ".10.");
        String inspect = gantryd.ok(DOCKER, "network", "inspect", "--format", "{{range .Containers}}{{.Name}} {{end}}", net);
        assertThat(inspect).contains(server);
        gantryd.ok(DOCKER, "rename", server, server + "-renamed");
        assertThat(gantryd.ok(DOCKER, "run", "--rm", "--network", net, IMAGE, "nslookup", server + "-renamed"))
                .contains("Address: " + ip.trim());
    }

    @Test
    void publishedTcpAndUdpPortsAreReachedFromTheHost() throws Exception {
        int tcp = freePort();
        int udp = freePort();
        String name = "pub-" + suffix;
        gantryd.ok(DOCKER, "run", "-d", "--name", name, "-p", "127.0.0.1:" + tcp + ":80", "-p", udp + ":5000/udp", IMAGE, "httpd",
                "-f", "-p", "80", "-h", "/etc");
        assertThat(gantryd.ok(DOCKER, "port", name)).contains("80/tcp -> 127.0.0.1:" + tcp, "5000/udp -> 0.0.0.0:" + udp);
        assertThat(gantryd.ok(DOCKER, "ps", "--filter", "name=" + name, "--format", "{{.Ports}}"))
                .contains("127.0.0.1:" + tcp + "->80/tcp");
        String hostname = gantryd.ok(DOCKER, "inspect", "--format", "{{.Config.Hostname}}", name).trim();
        assertThat(httpGet(tcp, "/hostname")).contains(hostname);
        // busybox has no UDP server: a UDP echo runs in the container's network namespace instead.
        String pid = gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", name).trim();
        Process echo = new ProcessBuilder("nsenter", "--net=/proc/" + pid + "/ns/net", "python3", "-c",
                "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',5000))\n"
                        + "while True:\n d,a=s.recvfrom(512)\n s.sendto(b'echo:'+d,a)\n").redirectErrorStream(true).start();
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(200);
            byte[] payload = ("datagram-" + suffix).getBytes(StandardCharsets.UTF_8);
            String answer = "";
            for (int i = 0; i < 50 && answer.isEmpty(); i++) {
                s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress("127.0.0.1", udp)));
                DatagramPacket in = new DatagramPacket(new byte[512], 512);
                try {
                    s.receive(in);
                    answer = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                } catch (java.net.SocketTimeoutException e) {
                    // the echo server may not be bound yet: send again
                }
            }
            assertThat(answer).isEqualTo("echo:datagram-" + suffix);
        } finally {
            echo.destroyForcibly().waitFor();
        }
        gantryd.ok(DOCKER, "rm", "-f", name);
        eventually(() -> assertThat(sh("iptables-save").stdout()).as("port mapping rules after rm").doesNotContain("--dport " + tcp + " "));
    }

    @Test
    void publishAllChoosesFreePortsForExposedPorts() throws Exception {
        String name = "all-" + suffix;
        gantryd.ok(DOCKER, "run", "-d", "--name", name, "--expose", "80", "-P", IMAGE, "httpd", "-f", "-p", "80", "-h", "/etc");
        String port = gantryd.ok(DOCKER, "port", name, "80/tcp").trim();
        int hostPort = Integer.parseInt(port.substring(port.lastIndexOf(':') + 1));
        assertThat(httpGet(hostPort, "/hostname")).isNotEmpty();
    }

    @Test
    void containerModeSharesTheOtherContainersLocalhost() throws Exception {
        String owner = "own-" + suffix;
        gantryd.ok(DOCKER, "run", "-d", "--name", owner, IMAGE, "httpd", "-f", "-p", "127.0.0.1:8081", "-h", "/etc");
        String hostname = gantryd.ok(DOCKER, "inspect", "--format", "{{.Config.Hostname}}", owner).trim();
        String out = gantryd.ok(DOCKER, "run", "--rm", "--network", "container:" + owner, IMAGE, "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://127.0.0.1:8081/hostname && break; sleep 0.2; done; hostname");
        assertThat(out).isEqualTo(hostname + "\n" + hostname + "\n");
    }

    /** As with dockerd: --network none has a loopback that is up, and nothing else. */
    @Test
    void noneHasOnlyALoopbackThatIsUp() throws Exception {
        String out = gantryd.ok(DOCKER, "run", "--rm", "--network", "none", IMAGE, "sh", "-c",
                "ls /sys/class/net; ip -o link show lo; httpd -p 127.0.0.1:8082 -h /etc && wget -qO- http://127.0.0.1:8082/hostname");
        String[] lines = out.split("\n");
        assertThat(lines[0]).isEqualTo("lo");
        assertThat(lines[1]).contains("<LOOPBACK,UP,LOWER_UP>");
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).as("a server on 127.0.0.1 answers inside").isNotEmpty();
    }

    @Test
    void aRunningContainerIsConnectedAndDisconnected() throws Exception {
        // A wide window: this machine's clock has been seen to jump by a second or more.
        String since = Long.toString(System.currentTimeMillis() / 1000 - 60);
        String net = network("conn", 20);
        String name = "conn-" + suffix;
        gantryd.ok(DOCKER, "run", "-d", "--name", name, IMAGE, "sleep", "300");
        assertThat(gantryd.ok(DOCKER, "exec", name, "ip", "-4", "-o", "addr")).doesNotContain("eth1");
        gantryd.ok(DOCKER, "network", "connect", "--ip", "10." + octet + ".20.77", "--alias", "late", net, name);
        assertThat(gantryd.ok(DOCKER, "exec", name, "ip", "-4", "-o", "addr")).contains("eth1", "10." + octet + ".20.77/24");
        assertThat(gantryd.ok(DOCKER, "run", "--rm", "--network", net, IMAGE, "ping", "-c", "1", "-W", "2", "late"))
                .contains("1 packets received");
        gantryd.ok(DOCKER, "network", "disconnect", net, name);
        assertThat(gantryd.ok(DOCKER, "exec", name, "ip", "-4", "-o", "addr")).doesNotContain("eth1");
        assertThat(leases(net)).as("the lease of the disconnected endpoint").doesNotContain("10." + octet + ".20.77");
        String id = gantryd.ok(DOCKER, "inspect", "--format", "{{.Id}}", name).trim();
        String events = gantryd.ok(DOCKER, "events", "--since", since, "--until", Long.toString(System.currentTimeMillis() / 1000 + 3),
                "--filter", "type=network", "--filter", "network=" + net, "--format", "{{.Action}} {{.Actor.Attributes.container}}");
        assertThat(events).contains("create ", "connect " + id, "disconnect " + id);
    }

    @Test
    void hostnameExtraHostsAndResolverOptionsReachTheContainersFiles() throws Exception {
        String out = gantryd.ok(DOCKER, "run", "--rm", "--hostname", "box-" + suffix, "--add-host", "db:192.0.2.10",
                "--add-host", "gw:host-gateway", "--dns", "192.0.2.53", "--dns-search", "example.test", "--dns-option", "ndots:3",
                IMAGE, "sh", "-c", "hostname; cat /etc/hosts /etc/resolv.conf");
        assertThat(out).startsWith("box-" + suffix + "\n")
                .containsPattern("10\\." + octet + "\\.0\\.\\d+\tbox-" + suffix + "\n")
                .contains("192.0.2.10\tdb\n", "10." + octet + ".0.1\tgw\n", "nameserver 192.0.2.53\n", "search example.test\n",
                        "options ndots:3\n");
        String onUser = gantryd.ok(DOCKER, "run", "--rm", "--network", network("etc", 50), IMAGE, "cat", "/etc/resolv.conf");
        assertThat(onUser).contains("nameserver 10." + octet + ".50.1\n");
    }

    @Test
    void anInternalNetworkHandsOutItsRangeAndHasNoWayOut() throws Exception {
        String net = "internal-" + suffix;
        gantryd.ok(DOCKER, "network", "create", "--internal", "--subnet", subnet(60), "--gateway", "10." + octet + ".60.254",
                "--ip-range", "10." + octet + ".60.128/26", "-o", "com.docker.network.bridge.name=gtn60" + suffix, net);
        networks.add(net);
        assertThat(gantryd.ok(DOCKER, "network", "inspect", "--format", "{{.Internal}} {{range .IPAM.Config}}{{.Gateway}} {{.IPRange}}{{end}}",
                net)).isEqualTo("true 10." + octet + ".60.254 10." + octet + ".60.128/26\n");
        String out = gantryd.ok(DOCKER, "run", "--rm", "--network", net, IMAGE, "sh", "-c", "ip -4 -o addr show eth0; ip route");
        assertThat(out).containsPattern("inet 10\\." + octet + "\\.60\\.(12[89]|1[3-8][0-9]|19[01])/24").doesNotContain("default");
    }

    @Test
    void unusedNetworksArePrunedByLabel() throws Exception {
        String kept = network("kept", 40);
        String pruned = "pruned-" + suffix;
        gantryd.ok(DOCKER, "network", "create", "--subnet", subnet(41), "--label", "gantry.test=" + suffix, pruned);
        networks.add(pruned);
        String out = gantryd.ok(DOCKER, "network", "prune", "-f", "--filter", "label=gantry.test=" + suffix);
        assertThat(out).contains(pruned).doesNotContain(kept);
        assertThat(gantryd.ok(DOCKER, "network", "ls", "--format", "{{.Name}}")).contains(kept, "bridge", "host", "none")
                .doesNotContain(pruned);
    }

    @Test
    void badInputIsRefusedWithAClearErrorAndLeavesNothing() throws Exception {
        String net = network("bad", 30);
        var overlap = gantryd.docker(DOCKER, "network", "create", "--subnet", "10." + octet + ".30.128/25", "overlap-" + suffix);
        assertThat(overlap.exitCode()).isNotZero();
        assertThat(overlap.stderr()).contains("overlaps network " + net);
        var unknown = gantryd.docker(DOCKER, "run", "--rm", "--network", "nosuch-" + suffix, IMAGE, "true");
        assertThat(unknown.stderr()).contains("network nosuch-" + suffix + " not found");
        var outside = gantryd.docker(DOCKER, "run", "--rm", "--network", net, "--ip", "10." + octet + ".31.5", IMAGE, "true");
        assertThat(outside.stderr()).contains("is not a host address of the subnet 10." + octet + ".30.0/24");
        List<String> before = veths(gantryd.bridge);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            var busy = gantryd.docker(DOCKER, "run", "--rm", "-p", taken.getLocalPort() + ":80", IMAGE, "true");
            assertThat(busy.exitCode()).isNotZero();
            assertThat(busy.stderr()).contains("port is already allocated");
        }
        assertThat(veths(gantryd.bridge)).as("veths after a refused start").isEqualTo(before);
        assertThat(gantryd.ok(DOCKER, "network", "inspect", "--format", "{{len .Containers}}", net)).isEqualTo("0\n");
    }

    /** An assertion that may need a moment: a container's CNI DEL runs in the background after it exits. */
    interface Check {
        void run() throws Exception;
    }

    static void eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static int freeOctet() {
        try {
            String routes = sh("ip", "-4", "route").stdout();
            for (int i = 0; i < 100; i++) {
                int o = ThreadLocalRandom.current().nextInt(200, 250);
                if (!routes.contains("10." + o + ".")) {
                    return o;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("ip -4 route: " + e.getMessage(), e);
        }
        throw new IllegalStateException("no free 10.x.0.0/16 between 10.200 and 10.249");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String httpGet(int port, String path) throws Exception {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(3000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (answer.startsWith("HTTP/1.") && answer.contains("\r\n\r\n")) {
                    return answer.substring(answer.indexOf("\r\n\r\n") + 4);
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("no HTTP answer on 127.0.0.1:" + port, last);
    }

    /** The veth interfaces plugged into {@code bridge}. */
    static List<String> veths(String bridge) throws Exception {
        List<String> out = new ArrayList<>();
        Out listed = sh("ip", "-o", "link", "show", "master", bridge);
        if (listed.exitCode() != 0) {
            return out;
        }
        for (String line : listed.stdout().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.split(":")[1].trim());
            }
        }
        return out;
    }

    private List<String> leases(String net) throws Exception {
        String id = gantryd.ok(DOCKER, "network", "inspect", "--format", "{{.Id}}", net).trim();
        Path dir = gantryd.dir.resolve("root/engine/network/ipam/gantry-" + id.substring(0, 12));
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).forEach(out::add);
            }
        }
        return out;
    }

    record Out(int exitCode, String stdout) {}

    static Out sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        return new Out(p.exitValue(), out);
    }

    static void run(String... cmd) throws Exception {
        Out o = sh(cmd);
        assertThat(o.exitCode()).as(String.join(" ", cmd) + ": " + o.stdout()).isZero();
    }
}
