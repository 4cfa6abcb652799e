package dev.gantry.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.testkit.RequiresRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime against Debian's real plugins (bridge, host-local, portmap, firewall) in network
 * namespaces this test creates, on a bridge and a 10.255.x.0/24 subnet of its own. Everything
 * it creates (namespaces, bridge, veths, leases, iptables chains) is removed after each test.
 */
@RequiresRoot
class CniPluginsRootTest {
    private static final Path PLUGINS = Path.of("/usr/lib/cni");
    private static final Random RANDOM = new Random();
    private static final List<String> TABLES = List.of("iptables nat", "iptables filter", "ip6tables nat", "ip6tables filter");

    @TempDir
    Path tmp;
    String suffix;
    String bridge;
    String subnet;
    String gateway;
    String network;
    final List<String> namespaces = new ArrayList<>();
    final List<Process> servers = new ArrayList<>();
    final Map<String, Set<String>> chainsBefore = new HashMap<>();

    @BeforeEach
    void setUp() {
        suffix = HexFormat.of().toHexDigits(RANDOM.nextInt()).substring(0, 6);
        bridge = "gtbr" + suffix;
        int octet = HostNet.freeSubnetOctet(RANDOM);
        subnet = "10.255." + octet + ".0/24";
        gateway = "10.255." + octet + ".1";
        network = "gantry-t-" + suffix;
        for (String t : TABLES) {
            String[] p = t.split(" ");
            chainsBefore.put(t, HostNet.chains(p[0], p[1]));
        }
    }

    @AfterEach
    void tearDown() {
        servers.forEach(Process::destroyForcibly);
        CniRuntime runtime = runtime();
        for (CachedAttachment c : runtime.cachedAttachments()) {
            try {
                runtime.del(c.config(), c.attachment());
            } catch (GantryException e) {
                System.err.println("cleanup DEL of " + c.id() + ": " + e.getMessage());
            }
        }
        namespaces.forEach(ns -> HostNet.run("ip", "netns", "del", ns));
        HostNet.run("ip", "link", "del", bridge);
        for (String t : TABLES) {
            String[] p = t.split(" ");
            HostNet.removeNewCniChains(p[0], p[1], chainsBefore.get(t));
        }
        assertThat(HostNet.run("ip", "link", "show", bridge).exit()).as("bridge removed").isNotZero();
        assertThat(HostNet.run("iptables-save").out()).as("no rule names our subnet").doesNotContain(subnet.substring(0, subnet.lastIndexOf('.')));
    }

    CniRuntime runtime() {
        return new CniRuntime(List.of(PLUGINS), tmp.resolve("cache"), Duration.ofSeconds(20));
    }

    String namespace() {
        String ns = "gantry-t-" + suffix + "-" + namespaces.size();
        HostNet.ok("ip", "netns", "add", ns);
        namespaces.add(ns);
        return ns;
    }

    Attachment attachment(String ns, String containerId, Map<String, com.fasterxml.jackson.databind.JsonNode> caps) {
        return new Attachment(containerId, "/run/netns/" + ns, "eth0", Map.of(), caps);
    }

    NetworkConfigList conflist(String ipamSubnet, String extraPlugin) {
        return NetworkConfigList.parse("""
                {"cniVersion":"1.0.0","name":"%s","plugins":[
                  {"type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,
                   "ipam":{"type":"host-local","ranges":[[{"subnet":"%s"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"%s"}},
                  {"type":"portmap","capabilities":{"portMappings":true}},
                  {"type":"%s"}
                ]}""".formatted(network, bridge, ipamSubnet, tmp.resolve("ipam"), extraPlugin));
    }

    Path leases() {
        return tmp.resolve("ipam").resolve(network);
    }

    List<String> leaseFiles() throws IOException {
        if (!Files.isDirectory(leases())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(leases())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList();
        }
    }

    String hostVeth(Result result) {
        return result.interfaces().stream().filter(i -> i.sandbox() == null && !i.name().equals(bridge))
                .map(Result.Interface::name).findFirst().orElseThrow();
    }

    @Test
    void addAddressesTwoNamespacesThatPingEachOtherAndDelReleasesEverything() throws IOException {
        NetworkConfigList list = conflist(subnet, "firewall");
        String ns1 = namespace();
        String ns2 = namespace();
        CniRuntime runtime = runtime();

        Result r1 = runtime.add(list, attachment(ns1, "c1-" + suffix, Map.of()));
        Result r2 = runtime.add(list, attachment(ns2, "c2-" + suffix, Map.of()));

        String ip1 = r1.containerAddresses().getFirst();
        String ip2 = r2.containerAddresses().getFirst();
        assertThat(ip1).startsWith(gateway.substring(0, gateway.length() - 1));
        assertThat(HostNet.ok("ip", "netns", "exec", ns1, "ip", "-4", "addr", "show", "eth0")).contains(ip1 + "/24");
        assertThat(HostNet.run("ip", "netns", "exec", ns1, "busybox", "ping", "-c1", "-W1", ip2).exit()).as("ns1 pings ns2").isZero();
        assertThat(HostNet.run("ip", "netns", "exec", ns2, "busybox", "ping", "-c1", "-W1", ip1).exit()).as("ns2 pings ns1").isZero();
        assertThat(leaseFiles()).containsExactlyInAnyOrder(ip1, ip2);
        runtime.check(list, attachment(ns1, "c1-" + suffix, Map.of()));
        assertThat(HostNet.ok("iptables", "-w", "-S", "CNI-FORWARD") + HostNet.ok("iptables-save", "-t", "filter"))
                .as("the firewall plugin admitted c1's address").contains(ip1 + "/32");

        String veth1 = hostVeth(r1);
        assertThat(HostNet.run("ip", "link", "show", veth1).exit()).isZero();
        runtime.del(list, attachment(ns1, "c1-" + suffix, Map.of()));
        assertThat(HostNet.run("ip", "link", "show", veth1).exit()).as("veth of c1 removed").isNotZero();
        assertThat(leaseFiles()).containsExactly(ip2);

        String veth2 = hostVeth(r2);
        boolean deleted = runtime().del(network, new AttachmentId("c2-" + suffix, "eth0"));
        assertThat(deleted).isTrue();
        assertThat(HostNet.run("ip", "link", "show", veth2).exit()).as("veth of c2 removed by the cache-only DEL").isNotZero();
        assertThat(leaseFiles()).isEmpty();
        assertThat(runtime().cachedAttachments()).isEmpty();
        assertThat(HostNet.ok("ip", "netns", "exec", ns2, "ip", "-o", "link").lines()).hasSize(1);
    }

    @Test
    void aCacheOnlyDelAfterTheNamespaceIsGoneReleasesTheLeaseAndRules() throws IOException {
        String ns = namespace();
        int hostPort = freePort();
        ArrayNode mappings = CniJson.MAPPER.createArrayNode();
        mappings.addObject().put("hostPort", hostPort).put("containerPort", 80).put("protocol", "tcp");
        Result result = runtime().add(conflist(subnet, "firewall"), attachment(ns, "c6-" + suffix, Map.of("portMappings", mappings)));
        String ip = result.containerAddresses().getFirst();
        HostNet.ok("ip", "netns", "del", ns);
        namespaces.remove(ns);

        assertThat(runtime().del(network, new AttachmentId("c6-" + suffix, "eth0"))).isTrue();

        assertThat(leaseFiles()).isEmpty();
        assertThat(HostNet.ok("iptables-save")).doesNotContain(ip + "/32").doesNotContain("--dport " + hostPort);
        assertThat(HostNet.run("ip", "link", "show", hostVeth(result)).exit()).isNotZero();
        assertThat(runtime().cachedAttachments()).isEmpty();
    }

    @Test
    void aPublishedPortReachesAServerInTheNamespace() throws Exception {
        String ns = namespace();
        int hostPort = freePort();
        ArrayNode mappings = CniJson.MAPPER.createArrayNode();
        mappings.addObject().put("hostPort", hostPort).put("containerPort", 8080).put("protocol", "tcp");
        Attachment attachment = attachment(ns, "c3-" + suffix, Map.of("portMappings", mappings));
        NetworkConfigList list = conflist(subnet, "firewall");
        CniRuntime runtime = runtime();
        runtime.add(list, attachment);
        assertThat(HostNet.ok("iptables-save", "-t", "nat")).contains("--dport " + hostPort);

        assertThat(fetch(ns, gateway, hostPort)).as("through the bridge's address").isEqualTo("hello from the namespace");
        assertThat(fetch(ns, "127.0.0.1", hostPort)).as("through loopback").isEqualTo("hello from the namespace");

        runtime.del(list, attachment);
        assertThat(HostNet.ok("iptables-save", "-t", "nat")).doesNotContain("--dport " + hostPort);
        assertThat(leaseFiles()).isEmpty();
    }

    @Test
    void aMissingPluginIsNamedAndNothingIsConfigured() throws IOException {
        String ns = namespace();

        assertThatThrownBy(() -> runtime().add(conflist(subnet, "gantry-no-such-plugin"), attachment(ns, "c4-" + suffix, Map.of())))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessage("CNI plugin gantry-no-such-plugin of network " + network + ": no executable in /usr/lib/cni");
        assertThat(HostNet.ok("ip", "netns", "exec", ns, "ip", "-o", "link").lines()).hasSize(1);
        assertThat(HostNet.run("ip", "link", "show", bridge).exit()).isNotZero();
        assertThat(leaseFiles()).isEmpty();
        assertThat(runtime().cachedAttachments()).isEmpty();
    }

    @Test
    void anInvalidConfigurationIsNamedAndTheChainIsRolledBack() throws IOException {
        String ns = namespace();
        String bad = subnet.replace("/24", "/33");

        assertThatThrownBy(() -> runtime().add(conflist(bad, "firewall"), attachment(ns, "c5-" + suffix, Map.of())))
                .isInstanceOf(GantryException.class)
                .hasMessageStartingWith("CNI plugin bridge ADD (network " + network + "): ")
                .hasMessageContaining("/33");
        assertThat(HostNet.ok("ip", "netns", "exec", ns, "ip", "-o", "link").lines()).as("no eth0 left in the namespace").hasSize(1);
        assertThat(leaseFiles()).isEmpty();
        assertThat(runtime().cachedAttachments()).isEmpty();
    }

    @Test
    void versionProbesTheRealPluginAndGcNeedsCni110() {
        PluginVersions versions = runtime().version("bridge");
        assertThat(versions.supportedVersions()).contains("0.4.0", "1.0.0");

        NetworkConfigList v110 = NetworkConfigList.parse(conflist(subnet, "firewall").toJson().replace("\"1.0.0\"", "\"1.1.0\""));
        assertThatThrownBy(() -> runtime().gc(v110, List.of()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("GC of network " + network + ": plugin bridge supports CNI [");
    }

    /** Starts busybox nc in {@code ns} answering one line, and reads it through {@code host}:{@code port}. */
    String fetch(String ns, String host, int port) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", ns, "busybox", "nc", "-l", "-p", "8080")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        servers.add(server);
        try (OutputStream in = server.getOutputStream()) {
            in.write("hello from the namespace\n".getBytes(StandardCharsets.UTF_8));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1000);
                socket.setSoTimeout(5000);
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                if (line != null) {
                    return line;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no answer from " + host + ":" + port, last);
    }

    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = 20000 + RANDOM.nextInt(30000);
            try (ServerSocket probe = new ServerSocket(port)) {
                return probe.getLocalPort();
            } catch (IOException busy) {
                // taken; try another
            }
        }
        throw new IOException("no free TCP port");
    }
}
