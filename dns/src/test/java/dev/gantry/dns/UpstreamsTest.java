package dev.gantry.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamsTest {
    @TempDir
    Path dir;

    @Test
    void readsNameserverLinesInOrderOnPort53() throws IOException {
        Path conf = Files.writeString(dir.resolve("resolv.conf"), """
                # generated
                search example.com
                nameserver 192.0.2.53
                nameserver   2001:db8::53   # trailing comment
                ; nameserver 192.0.2.99
                nameserver dns.example.com
                nameserver 300.1.1.1
                nameserver
                nameserver 192.0.2.53
                options ndots:2
                \tnameserver 198.51.100.7
                nameserver fe80::53%1
                nameserver fe80::54%no-such-device0
                """);

        assertThat(Upstreams.fromResolvConf(conf)).containsExactly(
                new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 53),
                new InetSocketAddress(InetAddress.ofLiteral("2001:db8::53"), 53),
                new InetSocketAddress(InetAddress.ofLiteral("198.51.100.7"), 53),
                new InetSocketAddress(Inet6Address.getByAddress(null, InetAddress.ofLiteral("fe80::53").getAddress(), 1), 53));
    }

    @Test
    void noNameserversOrNoFileGiveAnEmptyList() throws IOException {
        Path conf = Files.writeString(dir.resolve("resolv.conf"), "search example.com\n");

        assertThat(Upstreams.fromResolvConf(conf)).isEmpty();
        assertThat(Upstreams.fromResolvConf(dir.resolve("missing"))).isEmpty();
    }
}
