package dev.gantry.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.network.NetworkConfigList;
import dev.gantry.network.PluginConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflistsTest {
    private static NetworkRecord network(boolean internal, String ipRange) {
        return new NetworkRecord("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "app", "bridge", "t",
                "10.5.0.0/16", "10.5.0.1", ipRange, internal, Map.of(), Map.of(), "gt-0123", false);
    }

    @Test
    void aBridgeNetworkMasqueradesOpensTheFirewallAndMapsPorts() {
        NetworkConfigList l = Conflists.bridge(network(false, "10.5.1.0/24"), Path.of("/var/lib/x/ipam"), true, true);
        assertThat(l.name()).isEqualTo("gantry-0123456789ab");
        assertThat(l.plugins()).extracting(PluginConfig::type).containsExactly("bridge", "firewall", "portmap");
        var bridge = l.plugins().getFirst().raw();
        assertThat(bridge.path("ipMasq").asBoolean()).isTrue();
        assertThat(bridge.path("ipam").path("dataDir").asText()).isEqualTo("/var/lib/x/ipam");
        var range = bridge.path("ipam").path("ranges").get(0).get(0);
        assertThat(range.path("rangeStart").asText()).isEqualTo("10.5.1.0");
        assertThat(range.path("rangeEnd").asText()).isEqualTo("10.5.1.255");
        assertThat(l.plugins().get(2).raw().path("snat").asBoolean()).isTrue();
    }

    @Test
    void anInternalNetworkHasNoRouteOutAndNoMasquerade() {
        NetworkConfigList l = Conflists.bridge(network(true, null), Path.of("/ipam"), false, true);
        assertThat(l.plugins()).extracting(PluginConfig::type).containsExactly("bridge");
        assertThat(l.plugins().getFirst().raw().path("ipMasq").asBoolean()).isFalse();
        assertThat(l.plugins().getFirst().raw().path("ipam").has("routes")).isFalse();
    }

    @Test
    void theFirewallPluginRunsOnlyWhenTheHostsForwardChainMayDrop() {
        NetworkConfigList l = Conflists.bridge(network(false, null), Path.of("/ipam"), false, false);
        assertThat(l.plugins()).extracting(PluginConfig::type).containsExactly("bridge");
        assertThat(l.plugins().getFirst().raw().path("ipMasq").asBoolean()).as("still masquerades").isTrue();
    }

    @Test
    void theForwardChainMayDropUnderADropPolicyOrADropRule() {
        assertThat(ForwardFilter.mayDrop("-P FORWARD ACCEPT\n-A FORWARD -m comment --comment \"CNI firewall plugin rules\" -j CNI-FORWARD\n"))
                .isFalse();
        assertThat(ForwardFilter.mayDrop("-P FORWARD DROP\n-A FORWARD -j DOCKER-USER\n")).isTrue();
        assertThat(ForwardFilter.mayDrop("-P FORWARD ACCEPT\n-A FORWARD -i eth9 -j REJECT --reject-with icmp-port-unreachable\n")).isTrue();
        assertThat(ForwardFilter.mayDrop("")).as("nothing read").isTrue();
    }

    @Test
    void aReadingOfTheForwardChainIsReusedForItsMaxAgeOnly() {
        long[] now = {0};
        int[] reads = {0};
        ForwardFilter f = ForwardFilter.caching(() -> ++reads[0] % 2 == 1, 1000, () -> now[0]);
        assertThat(f.mayDrop()).isTrue();
        now[0] = 999;
        assertThat(f.mayDrop()).as("reused").isTrue();
        assertThat(reads[0]).isEqualTo(1);
        now[0] = 1000;
        assertThat(f.mayDrop()).as("read again").isFalse();
        assertThat(reads[0]).isEqualTo(2);
    }
}
