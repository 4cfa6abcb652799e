package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.internal.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A user-defined network made from its request: every field checked (driver, name, subnet
 * against the other networks and the host's routes, gateway and ip-range inside it, bridge
 * name), a free pool taken when no subnet is given.
 */
final class NewNetwork {
    static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

    private NewNetwork() {}

    /**
     * @throws GantryException INVALID_ARGUMENT naming the field, CONFLICT for a name, subnet or
     *     bridge already in use
     */
    static NetworkRecord of(NetworkSpec spec, Collection<NetworkRecord> existing, List<Ipv4.Cidr> hostRoutes) {
        if (!spec.driver().equals("bridge")) {
            throw GantryException.invalid("Driver: \"" + spec.driver() + "\" is not supported (only bridge)");
        }
        if (spec.name() == null || !spec.name().matches("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*")) {
            throw GantryException.invalid("Name: '" + spec.name() + "' must start with a letter or digit followed by letters, digits, '_', '.' or '-'");
        }
        if (Set.of("host", "none", "default").contains(spec.name()) || existing.stream().anyMatch(n -> n.name().equals(spec.name()))) {
            throw GantryException.conflict("network with name " + spec.name() + " already exists");
        }
        Ipv4.Cidr subnet;
        if (spec.subnet() != null) {
            subnet = Ipv4.Cidr.parse(spec.subnet(), "IPAM.Config.Subnet");
            for (NetworkRecord n : existing) {
                if (Ipv4.Cidr.parse(n.subnet(), "Subnet").overlaps(subnet)) {
                    throw GantryException.conflict("IPAM.Config.Subnet: " + subnet + " overlaps network " + n.name() + " (" + n.subnet() + ")");
                }
            }
            for (Ipv4.Cidr route : hostRoutes) {
                if (route.overlaps(subnet)) {
                    throw GantryException.conflict("IPAM.Config.Subnet: " + subnet + " overlaps the host's route to " + route);
                }
            }
        } else {
            if (spec.gateway() != null || spec.ipRange() != null) {
                throw GantryException.invalid("IPAM.Config: Gateway and IPRange need a Subnet");
            }
            subnet = freeSubnet(existing, hostRoutes);
        }
        String gateway = spec.gateway() != null ? spec.gateway() : Ipv4.text(subnet.firstHost());
        Ipv4.requireHost(subnet, gateway, "IPAM.Config.Gateway");
        Ipv4.Cidr range = null;
        if (spec.ipRange() != null) {
            range = Ipv4.Cidr.parse(spec.ipRange(), "IPAM.Config.IPRange");
            if (range.base() < subnet.base() || range.last() > subnet.last()) {
                throw GantryException.invalid("IPAM.Config.IPRange: " + range + " is not inside the subnet " + subnet);
            }
        }
        String id = Ids.random();
        String bridge = spec.options().getOrDefault(BRIDGE_NAME_OPTION, "gt-" + id.substring(0, 12));
        if (bridge.length() > 15 || !bridge.matches("[a-zA-Z0-9_.\\-]+")) {
            throw GantryException.invalid("Options." + BRIDGE_NAME_OPTION + ": '" + bridge + "' is not a Linux interface name");
        }
        if (existing.stream().anyMatch(n -> n.bridge().equals(bridge))) {
            throw GantryException.conflict("Options." + BRIDGE_NAME_OPTION + ": bridge " + bridge + " is used by another network");
        }
        return new NetworkRecord(id, spec.name(), "bridge", Instant.now().toString(), subnet.toString(), gateway,
                range == null ? null : range.toString(), spec.internal(), spec.labels(), spec.options(), bridge, false);
    }

    /** The first default pool overlapping neither a network nor a host route. */
    static Ipv4.Cidr freeSubnet(Collection<NetworkRecord> existing, List<Ipv4.Cidr> hostRoutes) {
        List<Ipv4.Cidr> taken = new ArrayList<>(hostRoutes);
        existing.forEach(n -> taken.add(Ipv4.Cidr.parse(n.subnet(), "Subnet")));
        return Ipv4.firstFree(taken).orElseThrow(() -> new GantryException(ErrorKind.UNAVAILABLE,
                "no free subnet: every default pool (172.17-31.0.0/16, 10.16-255.0.0/16) overlaps a route or network"));
    }
}
