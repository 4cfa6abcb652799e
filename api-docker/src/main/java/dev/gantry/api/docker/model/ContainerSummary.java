package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code GET /containers/json}. {@code Names} start with a slash;
 * {@code State} is the machine-readable state, {@code Status} the human one ("Up 5 minutes",
 * "Exited (0) 2 hours ago"); {@code Created} is in Unix seconds.
 */
public record ContainerSummary(
        String id,
        List<String> names,
        String image,
        @JsonProperty("ImageID") String imageId,
        String command,
        Long created,
        List<Port> ports,
        Long sizeRw,
        Long sizeRootFs,
        Map<String, String> labels,
        String state,
        String status,
        HostConfigSummary hostConfig,
        NetworkSummary networkSettings,
        List<MountPoint> mounts) {

    /** A published or exposed port ({@code Type} tcp, udp or sctp). */
    public record Port(@JsonProperty("IP") String ip, Integer privatePort, Integer publicPort, String type) {}

    public record HostConfigSummary(String networkMode, Map<String, String> annotations) {}

    public record NetworkSummary(Map<String, EndpointSettings> networks) {}
}
