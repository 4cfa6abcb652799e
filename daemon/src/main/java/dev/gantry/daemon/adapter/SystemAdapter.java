package dev.gantry.daemon.adapter;

import dev.gantry.engine.Event;
import dev.gantry.engine.EventBus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
import dev.gantry.engine.Container;
import dev.gantry.engine.Engine;
import dev.gantry.engine.MountSpec;
import dev.gantry.image.ImageService;
import dev.gantry.image.ImageUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code /system/df} from the engine and the image service; the event stream from the engine's
 * {@link EventBus}. The registry client has no login call, so login answers UNAVAILABLE.
 */
public final class SystemAdapter implements SystemApi {
    private static final Duration EVENT_POLL = Duration.ofSeconds(1);

    private final Engine engine;
    private final ImageService images;
    private final ContainerAdapter containers;
    private final RegistryLogins logins;

    public SystemAdapter(Engine engine, ImageService images, ContainerAdapter containers, RegistryLogins logins) {
        this.engine = engine;
        this.images = images;
        this.containers = containers;
        this.logins = logins;
    }

    /**
     * What {@code docker system df} sums up, as dockerd computes it: the layers' total counting
     * shared layers once; for each image the containers (running or not) created from it; each
     * container's writable layer; each volume's content and the containers that mount it.
     */
    @Override
    public SystemDataUsage dataUsage(Set<String> types) {
        boolean everything = types == null || types.isEmpty();
        List<Container> all = engine.list(true);
        List<ImageSummary> imageList = null;
        long layers = 0;
        if (everything || types.contains("image")) {
            Map<String, Long> users = all.stream().collect(Collectors.groupingBy(Container::imageId, Collectors.counting()));
            ImageUsage usage = images.usage();
            imageList = usage.images().stream().map(s -> Wire.convert(s, ImageSummary.class))
                    .map(i -> new ImageSummary(i.id(), i.parentId(), i.repoTags(), i.repoDigests(), i.created(), i.size(),
                            i.sharedSize(), i.labels(), users.getOrDefault(i.id(), 0L).intValue()))
                    .toList();
            layers = usage.layersSize();
        }
        var containerList = everything || types.contains("container")
                ? containers.list(new ContainerListQuery(true, null, true, Filters.NONE)) : null;
        List<Volume> volumes = null;
        if (everything || types.contains("volume")) {
            Map<String, Long> mounters = all.stream()
                    .flatMap(c -> c.mounts().stream().filter(m -> m.type() == MountSpec.Type.VOLUME).map(m -> m.name()).distinct())
                    .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
            volumes = engine.volumes().stream().map(v -> {
                Volume view = VolumeAdapter.view(v);
                return new Volume(view.name(), view.driver(), view.mountpoint(), view.createdAt(), view.status(), view.labels(),
                        view.scope(), view.options(), new Volume.UsageData(engine.volumeSize(v.name()), mounters.getOrDefault(v.name(), 0L)));
            }).toList();
        }
        return new SystemDataUsage(layers, imageList, containerList, volumes,
                everything || types.contains("build-cache") ? List.of() : null);
    }

    @Override
    public void events(EventQuery query, Sink<EventMessage> out) throws IOException {
        Filters f = query.filters() == null ? Filters.NONE : query.filters();
        try (EventBus.Subscription sub = engine.events().subscribe(query.since())) {
            stream(sub, query.until(), e -> matches(e, f), out);
        } catch (InterruptedException e) {
            // The client went away.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes the subscription's wanted events until {@code until} (null: until the client goes).
     * The replayed ones come first even when {@code until} has already passed: {@code docker
     * events --since a --until b} run after b must still print what happened between a and b.
     */
    static void stream(EventBus.Subscription sub, Instant until, Predicate<Event> wanted, Sink<EventMessage> out)
            throws IOException, InterruptedException {
        // Nanoseconds since the epoch overflow a long in 2262: an --until beyond that is "never".
        long untilNanos = until == null || until.getEpochSecond() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE
                : until.getEpochSecond() * 1_000_000_000L + until.getNano();
        while (true) {
            long left = untilNanos - nowNanos();
            // Woken at least once a second, so that "until" ends even a quiet stream on time.
            Event e = sub.next(left <= 0 ? Duration.ZERO : left < EVENT_POLL.toNanos() ? Duration.ofNanos(left) : EVENT_POLL);
            if (e == null) {
                if (nowNanos() >= untilNanos) {
                    return;
                }
                continue;
            }
            if (e.timeNano() > untilNanos) {
                return;
            }
            if (wanted.test(e)) {
                out.accept(EventMessage.of(e.type(), e.action(), e.actorId(), e.attributes(), e.timeNano()));
            }
        }
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Docker's event filters: type, event (the action before any ": detail"), container, image, volume, network, label. */
    static boolean matches(Event e, Filters f) {
        String action = e.action().contains(":") ? e.action().substring(0, e.action().indexOf(':')) : e.action();
        String name = e.attributes().getOrDefault("name", "");
        return f.matches("type", e.type())
                && f.matches("event", action)
                && (!f.has("container") || e.type().equals("container")
                        && (f.get("container").contains(name) || f.get("container").stream().anyMatch(e.actorId()::startsWith)))
                && (!f.has("image") || e.type().equals("image") && (f.get("image").contains(name) || f.get("image").contains(e.actorId()))
                        || e.type().equals("container") && f.get("image").contains(e.attributes().get("image")))
                && (!f.has("volume") || e.type().equals("volume") && f.get("volume").contains(e.actorId()))
                && (!f.has("network") || e.type().equals("network")
                        && (f.get("network").contains(name) || f.get("network").stream().anyMatch(e.actorId()::startsWith)))
                && f.matchesLabels("label", e.attributes());
    }

    @Override
    public AuthResponse login(AuthConfig auth) {
        logins.login(auth);
        return new AuthResponse("Login Succeeded", null);
    }
}
