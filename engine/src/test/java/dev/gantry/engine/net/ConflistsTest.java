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
        NetworkConfigList l = Conflists.bridge(network(false, "10.5.1.0/24"), Path.of("/var/lib/x/ipam"), true);
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
        NetworkConfigList l = Conflists.bridge(network(true, null), Path.of("/ipam"), false);
        assertThat(l.plugins()).extracting(PluginConfig::type).containsExactly("bridge");
        assertThat(l.plugins().getFirst().raw().path("ipMasq").asBoolean()).isFalse();
        assertThat(l.plugins().getFirst().raw().path("ipam").has("routes")).isFalse();
    }
}
