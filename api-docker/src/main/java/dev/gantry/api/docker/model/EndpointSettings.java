package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** A container's attachment to one network (swagger {@code EndpointSettings}). */
public record EndpointSettings(
        @JsonProperty("IPAMConfig") IpamConfig ipamConfig,
        List<String> links,
        String macAddress,
        List<String> aliases,
        Map<String, String> driverOpts,
        @JsonProperty("NetworkID") String networkId,
        @JsonProperty("EndpointID") String endpointId,
        String gateway,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
        @JsonProperty("IPv6Gateway") String ipv6Gateway,
        @JsonProperty("GlobalIPv6Address") String globalIpv6Address,
        @JsonProperty("GlobalIPv6PrefixLen") Integer globalIpv6PrefixLen,
        @JsonProperty("DNSNames") List<String> dnsNames) {

    public record IpamConfig(@JsonProperty("IPv4Address") String ipv4Address, @JsonProperty("IPv6Address") String ipv6Address,
                             @JsonProperty("LinkLocalIPs") List<String> linkLocalIps) {}
}
