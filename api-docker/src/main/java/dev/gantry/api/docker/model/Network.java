package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** A network as {@code GET /networks} and {@code GET /networks/{id}} report it. */
public record Network(
        String name,
        String id,
        String created,
        String scope,
        String driver,
        @JsonProperty("EnableIPv6") Boolean enableIpv6,
        @JsonProperty("IPAM") Ipam ipam,
        Boolean internal,
        Boolean attachable,
        Boolean ingress,
        Boolean configOnly,
        Map<String, Object> containers,
        Map<String, String> options,
        Map<String, String> labels) {

    public record Ipam(String driver, List<Map<String, String>> config, Map<String, String> options) {}
}
