package dev.gantry.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ReverseNamesTest {

    @Test
    void readsIpv4AndIpv6ReverseNames() {
        assertThat(ReverseNames.address("2.0.18.172.in-addr.arpa")).contains(InetAddress.ofLiteral("172.18.0.2"));
        String v6 = "1." + "0.".repeat(23) + "8.b.d.0.1.0.0.2.ip6.arpa";
        assertThat(ReverseNames.address(v6)).contains(InetAddress.ofLiteral("2001:db8::1"));
    }

    @Test
    void partialOrNonCanonicalNamesAreNoAddress() {
        assertThat(ReverseNames.address("18.172.in-addr.arpa")).isEmpty();
        assertThat(ReverseNames.address("02.0.18.172.in-addr.arpa")).isEmpty();
        assertThat(ReverseNames.address("256.0.18.172.in-addr.arpa")).isEmpty();
        assertThat(ReverseNames.address("+2.0.18.172.in-addr.arpa")).isEmpty();
        assertThat(ReverseNames.address("2..18.172.in-addr.arpa")).isEmpty();
        assertThat(ReverseNames.address("10." + "0.".repeat(23) + "8.b.d.0.1.0.0.2.ip6.arpa")).isEmpty();
        assertThat(ReverseNames.address("0.".repeat(23) + "8.b.d.0.1.0.0.2.ip6.arpa")).isEmpty();
        assertThat(ReverseNames.address("web.example.com")).isEmpty();
    }
}
