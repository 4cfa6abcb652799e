package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A container's network state in inspect: published ports and the networks it is attached to;
 * the top-level address fields describe its endpoint on the default {@code bridge} network
 * (empty on any other), as Docker reports them.
 */
public record NetworkSettings(
        String bridge,
        String sandboxID,
        String sandboxKey,
        Map<String, List<PortBinding>> ports,
        @JsonProperty("IPAddress") String ipAddress,
        @JsonProperty("IPPrefixLen") Integer ipPrefixLen,
        String gateway,
        String macAddress,
        @JsonProperty("EndpointID") String endpointId,
        Map<String, EndpointSettings> networks) {}
