package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.backend.ContainerListQuery;
import dev.gantry.api.docker.backend.EventQuery;
import dev.gantry.api.docker.backend.Sink;
import dev.gantry.api.docker.backend.SystemApi;
import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.api.docker.model.AuthResponse;
import dev.gantry.api.docker.model.EventMessage;
import dev.gantry.api.docker.model.ImageSummary;
import dev.gantry.api.docker.model.SystemDataUsage;
import dev.gantry.api.docker.model.Volume;
import dev.gantry.engine.Engine;
import dev.gantry.image.ImageService;
import java.util.List;
import java.util.Set;

/**
 * {@code /system/df} from the engine and the image service. The engine publishes no events
 * and the registry client has no login call, so the event stream and login answer UNAVAILABLE.
 */
public final class SystemAdapter implements SystemApi {
    private final Engine engine;
    private final ImageService images;
    private final ContainerAdapter containers;

    public SystemAdapter(Engine engine, ImageService images, ContainerAdapter containers) {
        this.engine = engine;
        this.images = images;
        this.containers = containers;
    }

    @Override
    public SystemDataUsage dataUsage(Set<String> types) {
        boolean everything = types == null || types.isEmpty();
        List<ImageSummary> imageList = everything || types.contains("image")
                ? images.list().stream().map(s -> Wire.convert(s, ImageSummary.class)).toList() : null;
        long layers = imageList == null ? 0 : imageList.stream().mapToLong(i -> i.size() == null ? 0 : i.size()).sum();
        var containerList = everything || types.contains("container")
                ? containers.list(new ContainerListQuery(true, null, false, Filters.NONE)) : null;
        List<Volume> volumes = everything || types.contains("volume")
                ? engine.volumes().stream().map(v -> {
                    Volume view = VolumeAdapter.view(v);
                    return new Volume(view.name(), view.driver(), view.mountpoint(), view.createdAt(), view.status(), view.labels(),
                            view.scope(), view.options(), new Volume.UsageData(-1, -1));
                }).toList() : null;
        return new SystemDataUsage(layers, imageList, containerList, volumes,
                everything || types.contains("build-cache") ? List.of() : null);
    }

    @Override
    public void events(EventQuery query, Sink<EventMessage> out) {
        throw Unsupported.operation("the event stream (docker events)");
    }

    @Override
    public AuthResponse login(AuthConfig auth) {
        throw Unsupported.operation("registry login");
    }
}
