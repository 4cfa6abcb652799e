package dev.gantry.api.docker.model;

import java.util.List;
import java.util.Map;

/** A container's network state in inspect: published ports and the networks it is attached to. */
public record NetworkSettings(
        String bridge,
        String sandboxID,
        String sandboxKey,
        Map<String, List<PortBinding>> ports,
        Map<String, EndpointSettings> networks) {}
