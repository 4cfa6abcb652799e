package dev.gantry.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aFileIsRewrittenInPlaceToItsExactNewContent(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        EtcFiles.write(hosts, "127.0.0.1\tlocalhost\n10.1.0.2\tbox\n");
        Object inode = Files.getAttribute(hosts, "unix:ino");
        EtcFiles.write(hosts, "127.0.0.1\tlocalhost\n");
        assertThat(Files.readString(hosts)).as("cut to the shorter content").isEqualTo("127.0.0.1\tlocalhost\n");
        EtcFiles.write(hosts, "127.0.0.1\tlocalhost\n10.1.0.3\tbox\n");
        assertThat(Files.readString(hosts)).isEqualTo("127.0.0.1\tlocalhost\n10.1.0.3\tbox\n");
        assertThat(Files.getAttribute(hosts, "unix:ino")).as("the inode a bind mount refers to").isEqualTo(inode);
    }
}
