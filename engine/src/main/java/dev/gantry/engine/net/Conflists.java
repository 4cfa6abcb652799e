package dev.gantry.engine.net;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.network.NetworkConfigList;
import java.nio.file.Path;

/**
 * The CNI configuration lists Gantry's networks run: {@code bridge} (veth pair, the bridge as
 * gateway, masquerade unless internal) with {@code host-local} IPAM keeping its leases under the
 * engine's root, {@code firewall} (lets forwarded traffic through when the host's FORWARD policy
 * is DROP, as dockerd leaves it; only then) and {@code portmap} (published ports, for containers that publish some; {@code snat} so that a port
 * reached through 127.0.0.1 or by another container on the bridge gets its answer back). No
 * {@code loopback} plugin: the engine brings {@code lo} up when it makes the namespace
 * ({@link NetnsMounts#create}), one plugin execution less on every start.
 */
final class Conflists {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String VERSION = "1.0.0";

    private Conflists() {}

    /** The CNI network name of a Gantry network: stable across renames, unique per network. */
    static String cniName(NetworkRecord n) {
        return "gantry-" + n.id().substring(0, 12);
    }

    /**
     * The list for one attachment: portmap only when it publishes ports (its DEL alone is a dozen
     * iptables runs), firewall only when the host's FORWARD chain may drop the container's traffic
     * ({@link ForwardFilter}: ten iptables runs for ADD, ten for DEL). DEL uses the list ADD cached,
     * so attachments of one network may differ.
     */
    static NetworkConfigList bridge(NetworkRecord n, Path ipamDir, boolean publishes, boolean forwardFiltered) {
        ObjectNode root = JSON.createObjectNode();
        root.put("cniVersion", VERSION);
        root.put("name", cniName(n));
        ArrayNode plugins = root.putArray("plugins");
        ObjectNode bridge = plugins.addObject();
        bridge.put("type", "bridge");
        bridge.put("bridge", n.bridge());
        bridge.put("isGateway", true);
        bridge.put("ipMasq", !n.internal());
        bridge.put("hairpinMode", true);
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.put("dataDir", ipamDir.toString());
        ObjectNode range = ipam.putArray("ranges").addArray().addObject();
        range.put("subnet", n.subnet());
        range.put("gateway", n.gateway());
        if (n.ipRange() != null) {
            // The network and broadcast addresses of the subnet are never handed out.
            Ipv4.Cidr subnet = Ipv4.Cidr.parse(n.subnet(), "Subnet");
            Ipv4.Cidr r = Ipv4.Cidr.parse(n.ipRange(), "IPRange");
            range.put("rangeStart", Ipv4.text(Math.max(r.base(), subnet.firstHost())));
            range.put("rangeEnd", Ipv4.text(Math.min(r.last(), subnet.last() - 1)));
        }
        if (!n.internal()) {
            ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        }
        if (!n.internal() && forwardFiltered) {
            ObjectNode firewall = plugins.addObject();
            firewall.put("type", "firewall");
            firewall.put("backend", "iptables");
        }
        if (publishes) {
            ObjectNode portmap = plugins.addObject();
            portmap.put("type", "portmap");
            portmap.putObject("capabilities").put("portMappings", true);
            portmap.put("snat", true);
        }
        return NetworkConfigList.parse(root.toString());
    }
}
