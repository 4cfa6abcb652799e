package dev.gantry.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real resolver client against the server: busybox's nslookup (Debian's busybox-static), which
 * takes the server as {@code host:port}. Skipped where busybox is not installed.
 */
class BusyboxNslookupTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private static String nslookup(InetSocketAddress server, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(BUSYBOX.toString(), "nslookup"));
        command.addAll(List.of(arguments));
        command.add(DnsServer.text(server));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("nslookup finished").isTrue();
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void busyboxResolvesContainerNamesAndAddresses() throws Exception {
        assumeTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed");
        try (DnsServer server = DnsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                MapNameTable.network(), List.of())) {

            String forward = nslookup(server.address(), "db");
            String reverse = nslookup(server.address(), "172.18.0.2");

            assertThat(forward).contains("172.18.0.3").contains("fd00:18::3");
            assertThat(reverse).contains("web.gantry-net");
        }
    }
}
