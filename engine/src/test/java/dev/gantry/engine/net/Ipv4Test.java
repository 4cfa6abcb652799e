package dev.gantry.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ipv4Test {
    @Test
    void cidrsAreNormalisedAndCompared() {
        Ipv4.Cidr c = Ipv4.Cidr.parse("172.20.3.4/16", "Subnet");
        assertThat(c).hasToString("172.20.0.0/16");
        assertThat(c.contains(Ipv4.value("172.20.255.255"))).isTrue();
        assertThat(c.contains(Ipv4.value("172.21.0.0"))).isFalse();
        assertThat(c.overlaps(Ipv4.Cidr.parse("172.20.128.0/17", "x"))).isTrue();
        assertThat(c.overlaps(Ipv4.Cidr.parse("172.21.0.0/24", "x"))).isFalse();
        assertThat(Ipv4.text(c.firstHost())).isEqualTo("172.20.0.1");
    }

    @Test
    void badBlocksNameTheField() {
        assertThatThrownBy(() -> Ipv4.Cidr.parse("300.1.1.0/24", "IPAM.Config.Subnet")).hasMessageContaining("IPAM.Config.Subnet");
        assertThatThrownBy(() -> Ipv4.Cidr.parse("10.0.0.0/31", "Subnet")).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> Ipv4.Cidr.parse("10.0.0.0", "Subnet")).hasMessageContaining("not an IPv4 CIDR");
    }

    @Test
    void hostRoutesAreReadFromProcNetRoute(@TempDir Path dir) throws Exception {
        Path route = dir.resolve("route");
        Files.writeString(route, """
                Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
                eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
                eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
                docker0	000011AC	00000000	0001	0	0	0	0000FFFF	0	0	0
                """);
        List<Ipv4.Cidr> routes = Ipv4.hostRoutes(route);
        assertThat(routes).extracting(Ipv4.Cidr::toString).containsExactly("192.0.2.0/24", "172.17.0.0/16");
        assertThat(Ipv4.firstFree(routes)).hasValueSatisfying(c -> assertThat(c).hasToString("172.18.0.0/16"));
        // An existing bridge keeps its subnet; a gateway route or an absent device gives none.
        assertThat(Ipv4.connectedRoute(route, "docker0")).hasValueSatisfying(c -> assertThat(c).hasToString("172.17.0.0/16"));
        assertThat(Ipv4.connectedRoute(route, "eth0")).hasValueSatisfying(c -> assertThat(c).hasToString("192.0.2.0/24"));
        assertThat(Ipv4.connectedRoute(route, "gantry0")).isEmpty();
    }
}
