package dev.gantry.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {
    @Test
    void dockerPortKeysAreParsed() {
        assertThat(PortMapping.ofKey("53/udp", "127.0.0.1", "5353")).isEqualTo(new PortMapping("127.0.0.1", 5353, 53, "udp"));
        assertThat(PortMapping.ofKey("80", "", "")).isEqualTo(new PortMapping("", 0, 80, "tcp"));
        assertThatThrownBy(() -> PortMapping.ofKey("80/sctp", "", "")).hasMessageContaining("tcp or udp");
        assertThatThrownBy(() -> PortMapping.ofKey("80", "", "8000-8010")).hasMessageContaining("ranges");
    }

    @Test
    void publishAllAddsAFreePortPerExposedPortNotRequested() {
        List<PortMapping> out = PortAllocator.resolve(List.of(new PortMapping("127.0.0.1", 0, 80, "tcp")), true,
                Set.of("80/tcp", "53/udp"), List.of());
        assertThat(out).hasSize(2).allSatisfy(p -> assertThat(p.hostPort()).isPositive());
        assertThat(out).extracting(PortMapping::key).containsExactly("80/tcp", "53/udp");
    }

    @Test
    void aPortTakenOnTheHostOrByAnotherContainerIsAConflict() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> PortAllocator.resolve(List.of(new PortMapping("127.0.0.1", port, 80, "tcp")), false, Set.of(), List.of()))
                    .isInstanceOf(GantryException.class).hasMessageContaining("port is already allocated")
                    .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
        }
        assertThatThrownBy(() -> PortAllocator.resolve(List.of(new PortMapping("", 18080, 80, "tcp")), false, Set.of(),
                List.of(new PortMapping("", 18080, 8080, "tcp")))).hasMessageContaining("already published by another container");
    }
}
