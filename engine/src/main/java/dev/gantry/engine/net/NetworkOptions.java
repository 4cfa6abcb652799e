package dev.gantry.engine.net;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a container asks of the network at create ({@code NetworkingConfig} and the network
 * parts of {@code HostConfig} and {@code Config}). The network <em>mode</em> itself is
 * {@code HostConfig.networkMode}: {@code bridge} (the default network), {@code host},
 * {@code none}, {@code container:<ref>}, or the name or id of a user-defined network.
 *
 * @param endpoints    per network (name or id): aliases and a static address; the mode's network
 *                     is attached first as eth0, the others as eth1, eth2… in name order
 * @param ports        published ports ({@code -p}); a host port of 0 is chosen free at start
 * @param publishAll   {@code -P}: every exposed port is published on a free host port
 * @param exposedPorts {@code 80/tcp}-style keys of {@code Config.ExposedPorts} (the image's are added)
 * @param dns          name servers for /etc/resolv.conf; empty: the network's default
 * @param dnsSearch    search domains; empty: the host's
 * @param dnsOptions   resolver options; empty: the host's
 * @param extraHosts   {@code name:address} lines for /etc/hosts; address {@code host-gateway} is the
 *                     gateway of the container's first network
 */
public record NetworkOptions(Map<String, EndpointRequest> endpoints, List<PortMapping> ports, boolean publishAll,
                             Set<String> exposedPorts, List<String> dns, List<String> dnsSearch, List<String> dnsOptions,
                             List<String> extraHosts) {
    public static final NetworkOptions NONE = new NetworkOptions(null, null, false, null, null, null, null, null);

    public NetworkOptions {
        endpoints = endpoints == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(endpoints));
        ports = ports == null ? List.of() : List.copyOf(ports);
        exposedPorts = exposedPorts == null ? Set.of() : Set.copyOf(exposedPorts);
        dns = dns == null ? List.of() : List.copyOf(dns);
        dnsSearch = dnsSearch == null ? List.of() : List.copyOf(dnsSearch);
        dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    }

    /**
     * A container's settings on one network.
     *
     * @param aliases     extra names the network's DNS server answers with the container's address
     * @param ipv4Address a static address inside the network's subnet, or null for the next free one
     */
    public record EndpointRequest(List<String> aliases, String ipv4Address) {
        public EndpointRequest {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
        }

        public static final EndpointRequest DEFAULT = new EndpointRequest(null, null);
    }
}
