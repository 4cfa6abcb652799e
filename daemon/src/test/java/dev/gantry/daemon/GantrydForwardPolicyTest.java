package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * gantryd puts the {@code firewall} plugin in a container's chain only when the FORWARD chain
 * may drop its traffic. The daemon runs in a network namespace of its own whose FORWARD policy
 * is DROP (as dockerd leaves the host's), so the host's own policy is never touched; an upstream
 * host in another namespace is reached through it, which only the plugin's accept rules allow.
 */
@RequiresRoot
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydForwardPolicyTest {
    private static final String DOCKER = "/usr/bin/docker";
    private static final String IMAGE = "busybox:it";

    @Test
    void underADropPolicyTheFirewallPluginLetsEgressThrough() throws Exception {
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        String upstreamNs = "gtfu" + suffix;
        int block = ThreadLocalRandom.current().nextInt(1, 63) * 4;
        String hostAddress = "198.51.100." + (block + 1);
        String upstream = "198.51.100." + (block + 2);
        Path dir = Files.createTempDirectory("gantryd-fwdrop-");
        Path www = Files.createDirectories(dir.resolve("upstream"));
        Files.writeString(www.resolve("hello"), "upstream\n");
        Path wrapper = dir.resolve("gantryd-in-own-netns");
        Files.writeString(wrapper, "#!/bin/sh\nexec unshare --net sh -c '"
                + "ip link set lo up && iptables -P FORWARD DROP"
                + " && ip link add gtfh" + suffix + " type veth peer name eth0 netns " + upstreamNs
                + " && ip addr add " + hostAddress + "/30 dev gtfh" + suffix + " && ip link set gtfh" + suffix + " up"
                + " && exec \"$0\" \"$@\"' " + Path.of(System.getProperty("gantryd.launcher")) + " \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        Process httpd = null;
        GantrydNetworkTest.run("ip", "netns", "add", upstreamNs);
        try (GantrydProcess d = new GantrydProcess(wrapper, dir, List.of("--bip", "10." + GantrydNetworkTest.OCTET + ".105.0/24"))) {
            GantrydNetworkTest.run("ip", "netns", "exec", upstreamNs, "ip", "addr", "add", upstream + "/30", "dev", "eth0");
            GantrydNetworkTest.run("ip", "netns", "exec", upstreamNs, "ip", "link", "set", "eth0", "up");
            httpd = new ProcessBuilder("ip", "netns", "exec", upstreamNs, "busybox", "httpd", "-f", "-p", "8080", "-h", www.toString())
                    .redirectErrorStream(true).start();
            d.importBusybox(DOCKER, IMAGE);
            String id = d.ok(DOCKER, "run", "-d", IMAGE, "sleep", "300").trim();
            d.rememberContainers(DOCKER);
            String address = d.ok(DOCKER, "inspect", "--format", "{{.NetworkSettings.IPAddress}}", id).trim();
            var accepts = GantrydNetworkTest.sh("nsenter", "--net=/proc/" + d.pid() + "/ns/net", "iptables", "-S", "CNI-FORWARD");
            assertThat(accepts.stdout()).as("the firewall plugin's rules in the daemon's namespace").contains("-s " + address + "/32 -j ACCEPT");
            String seen = d.ok(DOCKER, "exec", id, "sh", "-c",
                    "for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://" + upstream + ":8080/hello && exit 0; sleep 0.2; done; exit 1");
            assertThat(seen).isEqualTo("upstream\n");
        } finally {
            if (httpd != null) {
                httpd.destroyForcibly().waitFor();
            }
            // The daemon's namespace, its bridge and its end of the veth ended with it.
            GantrydNetworkTest.sh("ip", "netns", "del", upstreamNs);
        }
    }
}
