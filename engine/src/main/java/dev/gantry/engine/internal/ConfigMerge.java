package dev.gantry.engine.internal;

import dev.gantry.engine.Config;
import dev.gantry.oci.image.ContainerConfig;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration a container runs with: the request's values, the image's where the
 * request has none ({@link CommandMerge} for the command and the environment), and the
 * container's defaults (hostname from its id). Computed once at create, as dockerd does, so
 * that a container keeps working when its image is retagged or removed.
 */
public final class ConfigMerge {
    private ConfigMerge() {
    }

    public static Config merge(String id, Config request, ContainerConfig image) {
        ContainerConfig img = image == null
                ? new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null) : image;
        List<String> args = CommandMerge.args(request.entrypoint(), request.cmd(), img.entrypoint(), img.cmd());
        List<String> entrypoint = effectiveEntrypoint(request.entrypoint(), img.entrypoint());
        List<String> cmd = args.subList(entrypoint.size(), args.size());
        Map<String, String> labels = new HashMap<>(img.labels() == null ? Map.of() : img.labels());
        labels.putAll(request.labels());
        Set<String> volumes = new LinkedHashSet<>(img.volumes() == null ? Set.of() : img.volumes().keySet());
        volumes.addAll(request.volumes());
        return new Config(request.image(),
                request.hostname() == null || request.hostname().isEmpty() ? id.substring(0, 12) : request.hostname(),
                request.domainname(),
                request.user() != null ? request.user() : img.user(),
                CommandMerge.env(img.env(), request.env()),
                List.copyOf(cmd), entrypoint,
                request.workingDir() != null && !request.workingDir().isEmpty() ? request.workingDir() : img.workingDir(),
                labels, request.tty(),
                request.stopSignal() != null ? request.stopSignal() : img.stopSignal(),
                request.stopTimeout(), volumes, request.openStdin(), request.stdinOnce(), request.attachStdin());
    }

    private static List<String> effectiveEntrypoint(List<String> request, List<String> image) {
        if (request == null) {
            return image == null ? List.of() : List.copyOf(image);
        }
        if (request.size() == 1 && request.getFirst().isEmpty()) {
            return List.of();
        }
        return request;
    }

    /** The merged configuration in the image config's shape, for commit. */
    public static ContainerConfig toImage(Config c) {
        Map<String, Map<String, Object>> volumes = new HashMap<>();
        c.volumes().forEach(v -> volumes.put(v, Map.of()));
        return new ContainerConfig(c.user() == null || c.user().isEmpty() ? null : c.user(), null, c.env(),
                c.entrypoint().isEmpty() ? null : c.entrypoint(), c.cmd().isEmpty() ? null : c.cmd(),
                volumes.isEmpty() ? null : volumes, c.workingDir(), c.labels().isEmpty() ? null : c.labels(),
                c.stopSignal(), null, null, null, null);
    }
}
