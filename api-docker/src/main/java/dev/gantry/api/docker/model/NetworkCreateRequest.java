package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /networks/create}. */
public record NetworkCreateRequest(
        String name,
        Boolean checkDuplicate,
        String driver,
        Boolean internal,
        Boolean attachable,
        Boolean ingress,
        @JsonProperty("IPAM") Ipam ipam,
        @JsonProperty("EnableIPv6") Boolean enableIpv6,
        Map<String, String> options,
        Map<String, String> labels) {

    /** IPAM settings: one config per address family (Gantry uses the first IPv4 one). */
    public record Ipam(String driver, List<IpamConfig> config, Map<String, String> options) {}

    public record IpamConfig(String subnet, @JsonProperty("IPRange") String ipRange, String gateway,
                             Map<String, String> auxiliaryAddresses) {}
}
