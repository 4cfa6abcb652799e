package dev.gantry.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.GantryException;
import dev.gantry.engine.EventBus;
import dev.gantry.network.CniRuntime;
import dev.gantry.network.PluginExecutor;
import dev.gantry.sys.RecordingSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NetworkService} over fake CNI plugins (a recording executor answering as bridge and
 * host-local would) and a recording kernel: no root, no devices, no iptables.
 */
class NetworkServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "a".repeat(64);

    @TempDir
    Path dir;
    private Path plugins;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final RecordingSyscalls kernel = new RecordingSyscalls();

    /** Answers ADD as the chain would: bridge gives an address, the others pass prevResult on. */
    private PluginExecutor chain(String address) {
        return (binary, env, stdin) -> {
            String type = binary.getFileName().toString();
            calls.add(env.get("CNI_COMMAND") + " " + type + " " + env.get("CNI_IFNAME"));
            if (!env.get("CNI_COMMAND").equals("ADD")) {
                return new PluginExecutor.Outcome(0, new byte[0], "");
            }
            try {
                ObjectNode request = (ObjectNode) JSON.readTree(stdin);
                ObjectNode result = request.has("prevResult") ? (ObjectNode) request.get("prevResult") : JSON.createObjectNode();
                result.put("cniVersion", "1.0.0");
                if (type.equals("bridge")) {
                    var ifs = result.putArray("interfaces");
                    ifs.addObject().put("name", "gt-test");
                    ifs.addObject().put("name", "veth1");
                    ifs.addObject().put("name", env.get("CNI_IFNAME")).put("mac", "02:00:00:00:00:01").put("sandbox", env.get("CNI_NETNS"));
                    result.putArray("ips").addObject().put("address", address + "/24").put("gateway", "10.7.0.1").put("interface", 2);
                }
                return new PluginExecutor.Outcome(0, JSON.writeValueAsBytes(result), "");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private NetworkService service(PluginExecutor executor) {
        return service(executor, () -> true);
    }

    private NetworkService service(PluginExecutor executor, ForwardFilter forward) {
        NetworkDefaults defaults = new NetworkDefaults("gttest0", "10.7.0.0/24", List.of(plugins), dir.resolve("resolv.conf"), 1000);
        NetworkService s = new NetworkService(dir.resolve("network"), defaults,
                new CniRuntime(List.of(plugins), dir.resolve("network/cni-cache"), executor), forward, kernel.syscalls(),
                new EventBus(), warnings::add);
        s.bind(new ContainerLookup() {
            @Override
            public String resolve(String ref) {
                if (ref.equals("web") || ref.equals(ID)) {
                    return ID;
                }
                throw GantryException.notFound("No such container: " + ref);
            }

            @Override
            public String name(String id) {
                return "web";
            }

            @Override
            public OptionalInt runningPid(String id) {
                return OptionalInt.empty();
            }

            @Override
            public Object lock(String id) {
                return this;
            }
        });
        return s;
    }

    @BeforeEach
    void fakePlugins() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        for (String p : List.of("bridge", "host-local", "firewall", "portmap")) {
            Files.createFile(plugins.resolve(p), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch example.test\n");
        Files.createDirectories(dir.resolve("etc"));
        for (String f : List.of("hosts", "resolv.conf", "hostname")) {
            Files.writeString(dir.resolve("etc").resolve(f), "");
        }
    }

    @Test
    void theDefaultNetworkIsMadeOnceWithTheConfiguredBridgeAndSubnet() {
        NetworkRecord first = service(chain("10.7.0.2")).get("bridge");
        assertThat(first.bridge()).isEqualTo("gttest0");
        assertThat(first.subnet()).isEqualTo("10.7.0.0/24");
        assertThat(first.gateway()).isEqualTo("10.7.0.1");
        assertThat(service(chain("10.7.0.2")).get("bridge").id()).as("kept across restarts").isEqualTo(first.id());
    }

    @Test
    void badNetworksAreRefusedByName() {
        NetworkService s = service(chain("10.7.0.2"));
        assertThatThrownBy(() -> s.create(new NetworkSpec("x", "macvlan", null, null, null, false, null, null)))
                .hasMessageContaining("only bridge");
        assertThatThrownBy(() -> s.create(new NetworkSpec("x", null, "10.7.0.128/25", null, null, false, null, null)))
                .hasMessageContaining("overlaps network bridge");
        assertThatThrownBy(() -> s.create(new NetworkSpec("x", null, "10.8.0.0/24", "10.9.0.1", null, false, null, null)))
                .hasMessageContaining("Gateway: 10.9.0.1 is not a host address of the subnet 10.8.0.0/24");
        assertThatThrownBy(() -> s.create(new NetworkSpec("x", null, "10.8.0.0/24", null, "10.8.1.0/25", false, null, null)))
                .hasMessageContaining("IPRange");
        s.create(new NetworkSpec("app", null, "10.8.0.0/24", null, null, false, Map.of("k", "v"), null));
        assertThatThrownBy(() -> s.create(new NetworkSpec("app", null, "10.9.0.0/24", null, null, false, null, null)))
                .hasMessageContaining("already exists");
        assertThat(s.prune(n -> "v".equals(n.labels().get("k")))).containsExactly("app");
    }

    @Test
    void badContainerRequestsAreRefusedAtCreate() {
        NetworkService s = service(chain("10.7.0.2"));
        s.create(new NetworkSpec("app", null, "10.8.0.0/24", null, null, false, null, null));
        Path etc = dir.resolve("etc");
        assertThatThrownBy(() -> s.prepare(ID, false, "h", "nosuch", NetworkOptions.NONE, Set.of(), etc))
                .hasMessageContaining("network nosuch not found");
        NetworkOptions outside = new NetworkOptions(Map.of("app", new NetworkOptions.EndpointRequest(null, "10.9.0.5")), null, false,
                null, null, null, null, null);
        assertThatThrownBy(() -> s.prepare(ID, false, "h", "app", outside, Set.of(), etc)).hasMessageContaining("not a host address of the subnet");
        NetworkOptions ports = new NetworkOptions(null, List.of(new PortMapping("", 8080, 80, "tcp")), false, null, null, null, null, null);
        assertThatThrownBy(() -> s.prepare(ID, false, "h", "none", ports, Set.of(), etc)).hasMessageContaining("network mode none");
        assertThatThrownBy(() -> s.prepare(ID, false, "h", "container:" + ID, NetworkOptions.NONE, Set.of(), etc))
                .hasMessageContaining("its own network namespace");
    }

    @Test
    void attachRunsTheChainWritesTheEtcFilesAndDetachDeletesInReverse() throws Exception {
        NetworkService s = service(chain("10.7.0.2"));
        NetworkOptions opts = new NetworkOptions(null, List.of(new PortMapping("127.0.0.1", 0, 80, "tcp")), false, null, null, null, null,
                List.of("db:192.0.2.10"));
        s.prepare(ID, false, "box", "bridge", opts, Set.of("80/tcp"), dir.resolve("etc"));
        Attaching a = s.attach(ID, dir.resolve("etc"));
        a.await();
        Path pin = dir.resolve("network/netns").resolve(ID);
        assertThat(a.netns()).contains(pin);
        assertThat(kernel.calls()).extracting(RecordingSyscalls.Call::toString).containsSubsequence(
                "unshare[" + dev.gantry.sys.Syscalls.CLONE_NEWNET + "]", "interfaceUp[lo]",
                "mount[/proc/thread-self/ns/net, " + pin + ", null, " + dev.gantry.sys.Syscalls.MS_BIND + ", null]");
        assertThat(calls).as("lo is up without the loopback plugin")
                .containsExactly("ADD bridge eth0", "ADD firewall eth0", "ADD portmap eth0");
        assertThat(s.endpoints(ID).get("bridge").address()).isEqualTo("10.7.0.2");
        assertThat(s.published(ID)).singleElement().satisfies(p -> assertThat(p.hostPort()).isPositive());
        assertThat(Files.readString(dir.resolve("etc/hosts"))).contains("10.7.0.2\tbox\n", "192.0.2.10\tdb\n");
        assertThat(Files.readString(dir.resolve("etc/resolv.conf"))).isEqualTo("nameserver 192.0.2.53\nsearch example.test\n");

        calls.clear();
        s.detach(ID);
        assertThat(s.endpoints(ID).get("bridge").address()).as("forgotten at once").isEmpty();
        s.close();
        assertThat(calls).containsExactly("DEL portmap eth0", "DEL firewall eth0", "DEL bridge eth0");
        assertThat(pin).as("the namespace let go").doesNotExist();
        NetworkService next = service(chain("10.7.0.2"));
        assertThat(next.endpoints(ID).get("bridge").address()).as("the record on disk, written after the exit").isEmpty();
        assertThat(next.published(ID)).isEmpty();
    }

    @Test
    void aContainersRecordIsReplacedAsGenerationsAndGoesWithTheContainer() throws Exception {
        NetworkService s = service(chain("10.7.0.2"));
        s.prepare(ID, true, "box", "bridge", NetworkOptions.NONE, Set.of(), dir.resolve("etc"));
        s.attach(ID, dir.resolve("etc")).await();
        Path records = dir.resolve("network/containers");
        try (var files = Files.list(records)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("one file: the attach's generation replaced the create's")
                    .containsExactly(ID + ".2.json");
        }
        NetworkService reopened = service(chain("10.7.0.2"));
        assertThat(reopened.endpoints(ID).get("bridge").address()).isEqualTo("10.7.0.2");
        reopened.forget(ID);
        reopened.close();
        try (var files = Files.list(records)) {
            assertThat(files).as("forgotten with the container").isEmpty();
        }
    }

    @Test
    void anEngineStartDeletesTheAttachmentsOfContainersThatNoLongerRun() {
        NetworkService before = service(chain("10.7.0.2"));
        before.prepare(ID, false, "box", "bridge", NetworkOptions.NONE, Set.of(), dir.resolve("etc"));
        before.attach(ID, dir.resolve("etc")).await();
        // The engine dies here (no detach); the next one finds the attachments in the CNI cache.
        calls.clear();
        NetworkService after = service(chain("10.7.0.2"));
        after.collect(Set.of());
        assertThat(calls).contains("DEL bridge eth0", "DEL firewall eth0").doesNotContain("DEL portmap eth0");
        assertThat(dir.resolve("network/netns").resolve(ID)).as("the pin of a container no longer running").doesNotExist();
        calls.clear();
        after.collect(Set.of());
        assertThat(calls).as("nothing left to delete").isEmpty();
    }

    @Test
    void aFailingPluginLeavesNothingAttached() {
        PluginExecutor ok = chain("10.7.0.2");
        NetworkService s = service((binary, env, stdin) -> binary.getFileName().toString().equals("firewall") && env.get("CNI_COMMAND").equals("ADD")
                ? new PluginExecutor.Outcome(1, "{\"code\":999,\"msg\":\"firewall says no\"}".getBytes(StandardCharsets.UTF_8), "")
                : ok.run(binary, env, stdin));
        s.prepare(ID, false, "box", "bridge", NetworkOptions.NONE, Set.of(), dir.resolve("etc"));
        Attaching a = s.attach(ID, dir.resolve("etc"));
        assertThatThrownBy(a::await).hasMessageContaining("firewall says no");
        assertThat(calls).as("the chain rolled back").contains("DEL bridge eth0");
        assertThat(a.netns().orElseThrow()).as("kept until the runtime's create is over").exists();
        s.detach(ID);
        s.close();
        assertThat(a.netns().orElseThrow()).doesNotExist();
        assertThat(s.endpoints(ID).get("bridge").address()).isEmpty();
        calls.clear();
        s.collect(Set.of());
        assertThat(calls).as("the cache holds nothing").isEmpty();
    }

    @Test
    void addRunsWhileTheCallerGoesOnAndADetachWaitsForIt() throws Exception {
        PluginExecutor ok = chain("10.7.0.2");
        java.util.concurrent.CountDownLatch runtimeCreated = new java.util.concurrent.CountDownLatch(1);
        NetworkService s = service((binary, env, stdin) -> {
            if (env.get("CNI_COMMAND").equals("ADD") && binary.getFileName().toString().equals("bridge")) {
                try {
                    runtimeCreated.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return ok.run(binary, env, stdin);
        });
        s.prepare(ID, false, "box", "bridge", NetworkOptions.NONE, Set.of(), dir.resolve("etc"));
        Attaching a = s.attach(ID, dir.resolve("etc"));
        assertThat(calls).as("attach returned while ADD waits").isEmpty();
        // The runtime's create failed meanwhile: the engine detaches at once.
        Thread detach = Thread.ofPlatform().start(() -> s.detach(ID));
        detach.join(200);
        assertThat(detach.isAlive()).as("detach waits for the ADD under way").isTrue();
        runtimeCreated.countDown();
        detach.join();
        a.await();
        s.close();
        assertThat(calls).containsExactly("ADD bridge eth0", "ADD firewall eth0", "DEL firewall eth0", "DEL bridge eth0");
        assertThat(a.netns().orElseThrow()).doesNotExist();
    }

    @Test
    void aNetworkIsNotRemovedWhileAContainerIsJoiningIt() throws Exception {
        PluginExecutor ok = chain("10.8.0.2");
        java.util.concurrent.CountDownLatch adding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
        NetworkService s = service((binary, env, stdin) -> {
            if (env.get("CNI_COMMAND").equals("ADD") && binary.getFileName().toString().equals("bridge")) {
                adding.countDown();
                try {
                    proceed.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return ok.run(binary, env, stdin);
        });
        s.create(new NetworkSpec("app", null, "10.8.0.0/24", null, null, false, null, null));
        s.prepare(ID, false, "box", "app", NetworkOptions.NONE, Set.of(), dir.resolve("etc"));
        Attaching a = s.attach(ID, dir.resolve("etc"));
        try {
            assertThat(adding.await(30, TimeUnit.SECONDS)).as("the bridge plugin's ADD started").isTrue();
            assertThatThrownBy(() -> s.remove("app")).as("the bridge plugin is adding the container")
                    .hasMessageContaining("network app id").hasMessageContaining("has active endpoints (1 container(s))");
        } finally {
            proceed.countDown();
        }
        a.await();
        assertThat(s.endpoints(ID).get("app").address()).isEqualTo("10.8.0.2");
        s.detach(ID);
        s.remove("app");
        s.close();
        assertThat(s.list()).extracting(NetworkRecord::name).containsExactly("bridge");
    }

    @Test
    void aNamespaceThatCannotBeMadeFailsTheAttachBeforeAnyPluginRuns() {
        kernel.answer("unshare", args -> {
            throw new dev.gantry.sys.SysException("unshare", "flags", 1);
        });
        NetworkService s = service(chain("10.7.0.2"));
        NetworkOptions opts = new NetworkOptions(null, List.of(new PortMapping("127.0.0.1", 18080, 80, "tcp")), false, null, null, null,
                null, null);
        s.prepare(ID, false, "box", "bridge", opts, Set.of("80/tcp"), dir.resolve("etc"));
        assertThatThrownBy(() -> s.attach(ID, dir.resolve("etc"))).hasMessageContaining("network namespace")
                .hasMessageContaining("unshare");
        assertThat(calls).isEmpty();
        assertThat(dir.resolve("network/netns").resolve(ID)).doesNotExist();
    }

    @Test
    void anOpenForwardChainNeedsNoFirewallPluginAndItsDeleteFollowsTheCachedChain() {
        NetworkService s = service(chain("10.7.0.2"), () -> false);
        s.prepare(ID, false, "box", "bridge", NetworkOptions.NONE, Set.of(), dir.resolve("etc"));
        s.attach(ID, dir.resolve("etc")).await();
        assertThat(calls).containsExactly("ADD bridge eth0");
        calls.clear();
        s.detach(ID);
        s.close();
        assertThat(calls).containsExactly("DEL bridge eth0");
    }
}
