package dev.gantry.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EtcFilesTest {
    @Test
    void resolvConfDropsLoopbackServersAndKeepsSearchAndOptions() {
        EtcFiles.Resolv r = EtcFiles.Resolv.parse("nameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch a.example b.example\noptions ndots:2\n")
                .withoutLoopback();
        assertThat(r.nameservers()).containsExactly("192.0.2.53");
        assertThat(EtcFiles.resolvConf(r.nameservers(), r.search(), r.options()))
                .isEqualTo("nameserver 192.0.2.53\nsearch a.example b.example\noptions ndots:2\n");
    }

    @Test
    void hostsListsOwnAddressesAndExtraHostsWithTheHostGateway() {
        String hosts = EtcFiles.hosts(EtcFiles.LOCALHOST, List.of("10.1.0.2"), "box", List.of("db:10.9.9.9", "host.docker.internal:host-gateway"),
                "10.1.0.1");
        assertThat(hosts).startsWith("127.0.0.1\tlocalhost\n").endsWith("10.1.0.2\tbox\n10.9.9.9\tdb\n10.1.0.1\thost.docker.internal\n");
    }

    @Test
    void malformedExtraHostsAreRefused() {
        assertThatThrownBy(() -> EtcFiles.ExtraHost.parse("nocolon")).hasMessageContaining("ExtraHosts");
        assertThatThrownBy(() -> EtcFiles.ExtraHost.parse("db:not-an-address")).hasMessageContaining("not an IP address");
    }
}
