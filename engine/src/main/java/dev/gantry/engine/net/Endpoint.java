package dev.gantry.engine.net;

import java.util.List;

/**
 * A container's attachment to one network while it runs: the interface CNI created in its
 * network namespace and what the network's IPAM gave it.
 *
 * @param endpointId 64 hex digits, new for every attachment
 * @param ifName     eth0, eth1… inside the container
 * @param address    IPv4 address without prefix length
 */
public record Endpoint(String networkId, String networkName, String endpointId, String ifName, String address,
                       int prefixLength, String gateway, String mac, List<String> aliases) {
    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
