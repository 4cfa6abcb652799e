package dev.gantry.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniRuntimeTest {
    private static final String LIST = """
            {"cniVersion":"1.0.0","name":"net1","plugins":[
              {"type":"first","bridge":"br9","ipam":{"type":"host-local"}},
              {"type":"second","capabilities":{"portMappings":true,"bandwidth":true},"cni.dev/secret":1}
            ]}""";

    @TempDir
    Path tmp;
    Path plugins;
    Path cache;
    final List<Call> calls = new ArrayList<>();
    final Map<String, PluginExecutor.Outcome> answers = new HashMap<>();

    record Call(String plugin, Map<String, String> env, JsonNode stdin) {
    }

    @BeforeEach
    void plugins() throws IOException {
        plugins = Files.createDirectories(tmp.resolve("bin"));
        cache = tmp.resolve("cache");
        for (String name : List.of("first", "second")) {
            Files.createFile(plugins.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    CniRuntime runtime() {
        return new CniRuntime(List.of(tmp.resolve("missing-dir"), plugins), cache, (binary, env, stdin) -> {
            String name = binary.getFileName().toString();
            calls.add(new Call(name, Map.copyOf(env), CniJson.object(stdin, "stdin")));
            PluginExecutor.Outcome answer = answers.get(name + " " + env.get("CNI_COMMAND"));
            if (answer != null) {
                return answer;
            }
            String result = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/run/netns/x\"}],"
                    + "\"ips\":[{\"address\":\"10.1.0.2/24\",\"gateway\":\"10.1.0.1\",\"interface\":0}],\"by\":\"" + name + "\"}";
            return new PluginExecutor.Outcome(0, env.get("CNI_COMMAND").equals("ADD") ? result.getBytes(StandardCharsets.UTF_8) : new byte[0], "");
        });
    }

    Attachment attachment() {
        ObjectNode mapping = CniJson.MAPPER.createObjectNode().put("hostPort", 8080).put("containerPort", 80).put("protocol", "tcp");
        return new Attachment("c1", "/run/netns/x", "eth0", Map.of("IgnoreUnknown", "1", "K8S_POD_NAME", "p"),
                Map.of("portMappings", CniJson.MAPPER.createArrayNode().add(mapping), "dns", CniJson.MAPPER.createObjectNode()));
    }

    @Test
    void addRunsThePluginsInOrderWithEnvironmentPrevResultAndRuntimeConfig() {
        Result result = runtime().add(NetworkConfigList.parse(LIST), attachment());

        assertThat(calls).extracting(Call::plugin).containsExactly("first", "second");
        Call first = calls.get(0);
        assertThat(first.env()).containsEntry("CNI_COMMAND", "ADD").containsEntry("CNI_CONTAINERID", "c1")
                .containsEntry("CNI_NETNS", "/run/netns/x").containsEntry("CNI_IFNAME", "eth0")
                .containsEntry("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=p")
                .containsEntry("CNI_PATH", tmp.resolve("missing-dir") + ":" + plugins);
        assertThat(first.stdin().has("prevResult")).isFalse();
        assertThat(first.stdin().has("runtimeConfig")).isFalse();
        assertThat(first.stdin().path("bridge").asText()).isEqualTo("br9");
        assertThat(first.stdin().path("name").asText()).isEqualTo("net1");
        Call second = calls.get(1);
        assertThat(second.stdin().path("prevResult").path("by").asText()).isEqualTo("first");
        assertThat(second.stdin().path("runtimeConfig").path("portMappings").get(0).path("hostPort").asInt()).isEqualTo(8080);
        assertThat(second.stdin().path("runtimeConfig").has("dns")).as("dns is not a capability of this plugin").isFalse();
        assertThat(second.stdin().has("capabilities")).isFalse();
        assertThat(second.stdin().has("cni.dev/secret")).isFalse();
        assertThat(result.containerAddresses()).containsExactly("10.1.0.2");
        assertThat(result.raw().path("by").asText()).isEqualTo("second");
    }

    @Test
    void delRunsInReverseWithTheCachedResultEvenFromANewRuntime() {
        runtime().add(NetworkConfigList.parse(LIST), attachment());
        calls.clear();

        boolean deleted = runtime().del("net1", new AttachmentId("c1", "eth0"));

        assertThat(deleted).isTrue();
        assertThat(calls).extracting(Call::plugin).containsExactly("second", "first");
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.env()).containsEntry("CNI_COMMAND", "DEL").containsEntry("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=p");
            assertThat(c.stdin().path("prevResult").path("by").asText()).isEqualTo("second");
        });
        assertThat(calls.get(0).stdin().path("runtimeConfig").path("portMappings").isArray()).isTrue();
        assertThat(runtime().cachedAttachments()).isEmpty();
        assertThat(runtime().del("net1", new AttachmentId("c1", "eth0"))).isFalse();
    }

    @Test
    void aSecondAddOfTheSameAttachmentIsRefusedUntilDel() {
        NetworkConfigList list = NetworkConfigList.parse(LIST);
        runtime().add(list, attachment());
        calls.clear();

        assertThatThrownBy(() -> runtime().add(list, attachment()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS))
                .hasMessage("container c1 interface eth0 is already attached to network net1; DEL it first");
        assertThat(calls).isEmpty();
        runtime().del(list, attachment());
        assertThat(runtime().add(list, attachment()).containerAddresses()).containsExactly("10.1.0.2");
    }

    @Test
    void aFailingPluginRollsBackTheChainAndNamesThePlugin() {
        answers.put("second ADD", new PluginExecutor.Outcome(1,
                "{\"code\":7,\"msg\":\"bad portmap\",\"details\":\"hostPort 0\"}".getBytes(StandardCharsets.UTF_8), ""));
        CniRuntime runtime = runtime();

        assertThatThrownBy(() -> runtime.add(NetworkConfigList.parse(LIST), attachment()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessage("CNI plugin second ADD (network net1): bad portmap: hostPort 0 [CNI error 7]");
        assertThat(calls).extracting(c -> c.plugin() + " " + c.env().get("CNI_COMMAND"))
                .containsExactly("first ADD", "second ADD", "second DEL", "first DEL");
        assertThat(calls.get(3).stdin().path("prevResult").path("by").asText()).isEqualTo("first");
        assertThat(runtime.cachedAttachments()).isEmpty();
    }

    @Test
    void aFailedRollbackKeepsTheCacheEntryForALaterDel() {
        answers.put("second ADD", new PluginExecutor.Outcome(1, "{\"code\":11,\"msg\":\"busy\"}".getBytes(StandardCharsets.UTF_8), ""));
        answers.put("first DEL", new PluginExecutor.Outcome(2, new byte[0], "panic: boom\n"));

        assertThatThrownBy(() -> runtime().add(NetworkConfigList.parse(LIST), attachment()))
                .isInstanceOfSatisfying(GantryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
                    assertThat(e.getSuppressed()).singleElement().extracting(Throwable::getMessage)
                            .isEqualTo("CNI plugin first DEL (network net1): exit code 2: panic: boom");
                });
        assertThat(runtime().cachedAttachments()).singleElement()
                .satisfies(c -> assertThat(c.result()).isEmpty())
                .satisfies(c -> assertThat(c.attachment().capabilityArgs()).containsKey("portMappings"));
    }

    @Test
    void anAddCutShortIsCachedAsPendingAndACompletedOneSupersedesIt() throws IOException {
        // A daemon killed during ADD: the first plugin's process never answers.
        CniRuntime killed = new CniRuntime(List.of(plugins), cache, (binary, env, stdin) -> {
            assertThat(runtime().cachedAttachments()).as("recorded before the first plugin runs").singleElement()
                    .satisfies(c -> assertThat(c.result()).isEmpty());
            throw new IllegalStateException("killed");
        });
        assertThatThrownBy(() -> killed.add(NetworkConfigList.parse(LIST), attachment())).hasMessage("killed");
        assertThat(cache.resolve("adding/net1-c1-eth0")).exists();
        assertThat(runtime().del("net1", new AttachmentId("c1", "eth0"))).as("DEL finds the pending entry").isTrue();
        assertThat(cache.resolve("adding/net1-c1-eth0")).doesNotExist();

        runtime().add(NetworkConfigList.parse(LIST), attachment());
        assertThat(cache.resolve("results/net1-c1-eth0")).exists();
        assertThat(runtime().cachedAttachments()).as("the result supersedes the pending entry").singleElement()
                .satisfies(c -> assertThat(c.result()).isPresent());
        runtime().del("net1", new AttachmentId("c1", "eth0"));
        assertThat(cache.resolve("results/net1-c1-eth0")).doesNotExist();
        assertThat(cache.resolve("adding/net1-c1-eth0")).doesNotExist();
    }

    @Test
    void aMissingPluginIsNotFoundBeforeAnythingRuns() {
        String list = LIST.replace("\"second\"", "\"nosuch\"");

        assertThatThrownBy(() -> runtime().add(NetworkConfigList.parse(list), attachment()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("CNI plugin nosuch of network net1: no executable in")
                .hasMessageContaining(plugins.toString());
        assertThat(calls).isEmpty();
        assertThat(runtime().cachedAttachments()).isEmpty();
    }

    @Test
    void invalidConfigurationsNameTheField() {
        assertThatThrownBy(() -> NetworkConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"-x\",\"plugins\":[{\"type\":\"a\"}]}"))
                .hasMessageContaining("network name: '-x'");
        assertThatThrownBy(() -> NetworkConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[]}"))
                .hasMessageContaining("plugins of network x: the list is empty");
        assertThatThrownBy(() -> NetworkConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[{\"type\":\"../sh\"}]}"))
                .hasMessageContaining("plugin type: '../sh'");
        assertThatThrownBy(() -> NetworkConfigList.parse("{\"cniVersion\":\"1\",\"name\":\"x\",\"plugins\":[{\"type\":\"a\"}]}"))
                .hasMessageContaining("cniVersion of network x: '1'");
        assertThatThrownBy(() -> NetworkConfigList.parse("{nope"))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> new Attachment("c1", "/run/netns/x", "eth0", Map.of("A", "b;c"), Map.of()))
                .hasMessageContaining("args: 'A=b;c'");
    }

    @Test
    void parseKeepsUnknownFieldsAndSelectsTheHighestVersion() {
        NetworkConfigList list = NetworkConfigList.parse("""
                {"cniVersion":"0.4.0","cniVersions":["1.0.0","0.3.1"],"name":"n","disableCheck":true,
                 "plugins":[{"type":"bridge","isGateway":true,"capabilities":{"portMappings":true,"mac":false}}]}""");

        assertThat(list.selectedVersion()).isEqualTo("1.0.0");
        assertThat(list.disableCheck()).isTrue();
        assertThat(list.plugins().getFirst().capabilities()).isEqualTo(Set.of("portMappings"));
        assertThat(NetworkConfigList.parse(list.toJson())).isEqualTo(list);
    }

    @Test
    void checkUsesTheCachedResultAndNeedsACompletedAdd() {
        NetworkConfigList list = NetworkConfigList.parse(LIST);
        assertThatThrownBy(() -> runtime().check(list, attachment()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        runtime().add(list, attachment());
        calls.clear();

        runtime().check(list, attachment());

        assertThat(calls).extracting(c -> c.plugin() + " " + c.env().get("CNI_COMMAND")).containsExactly("first CHECK", "second CHECK");
        assertThat(calls.get(0).stdin().path("prevResult").path("by").asText()).isEqualTo("second");
    }

    @Test
    void gcAndStatusAreUnavailableBelowCni110AndSendValidAttachmentsOtherwise() {
        assertThatThrownBy(() -> runtime().gc(NetworkConfigList.parse(LIST), List.of()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("GC of network net1: needs CNI 1.1.0, the list speaks 1.0.0");
        String v110 = LIST.replace("1.0.0", "1.1.0");
        answers.put("first VERSION", new PluginExecutor.Outcome(0, "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"1.0.0\",\"1.1.0\"]}".getBytes(StandardCharsets.UTF_8), ""));
        answers.put("second VERSION", new PluginExecutor.Outcome(0, "{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"1.0.0\"]}".getBytes(StandardCharsets.UTF_8), ""));
        assertThatThrownBy(() -> runtime().status(NetworkConfigList.parse(v110)))
                .hasMessage("STATUS of network net1: plugin second supports CNI [1.0.0], not 1.1.0");
        answers.put("second VERSION", answers.get("first VERSION"));
        calls.clear();

        runtime().gc(NetworkConfigList.parse(v110), List.of(new AttachmentId("c1", "eth0")));

        List<Call> gcs = calls.stream().filter(c -> c.env().get("CNI_COMMAND").equals("GC")).toList();
        assertThat(gcs).extracting(Call::plugin).containsExactly("first", "second");
        assertThat(gcs.get(0).stdin().path("cni.dev/valid-attachments").get(0).path("containerID").asText()).isEqualTo("c1");
        assertThat(gcs.get(0).stdin().has("prevResult")).isFalse();
    }
}
