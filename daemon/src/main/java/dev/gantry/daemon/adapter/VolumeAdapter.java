package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.backend.VolumeApi;
import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.Volume;
import dev.gantry.api.docker.model.VolumeCreateRequest;
import dev.gantry.api.docker.model.VolumeListResponse;
import dev.gantry.api.docker.model.VolumePruneResponse;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Container;
import dev.gantry.engine.Engine;
import dev.gantry.engine.MountSpec;
import dev.gantry.engine.PruneResult;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link VolumeApi} over the engine's local-driver volumes. */
public final class VolumeAdapter implements VolumeApi {
    private final Engine engine;

    public VolumeAdapter(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Volume create(VolumeCreateRequest request) {
        if (request.driver() != null && !request.driver().isEmpty() && !request.driver().equals("local")) {
            throw GantryException.invalid("Driver: only the local volume driver exists, not \"" + request.driver() + "\"");
        }
        if (request.driverOpts() != null && !request.driverOpts().isEmpty()) {
            throw GantryException.invalid("DriverOpts: the local driver of gantryd takes no options");
        }
        return view(engine.createVolume(request.name(), request.labels()));
    }

    @Override
    public VolumeListResponse list(Filters filters) {
        Filters f = filters == null ? Filters.NONE : filters;
        Set<String> used = f.has("dangling") ? used() : Set.of();
        boolean wantDangling = f.get("dangling").contains("true") || f.get("dangling").contains("1");
        List<Volume> out = engine.volumes().stream()
                .filter(v -> !f.has("name") || f.get("name").stream().anyMatch(v.name()::contains))
                .filter(v -> f.matches("driver", "local"))
                .filter(v -> f.matchesLabels("label", v.labels()))
                .filter(v -> !f.has("dangling") || wantDangling == !used.contains(v.name()))
                .map(VolumeAdapter::view).toList();
        return new VolumeListResponse(out, List.of());
    }

    private Set<String> used() {
        Set<String> names = new HashSet<>();
        for (Container c : engine.list(true)) {
            for (Container.MountPoint m : c.mounts()) {
                if (m.type() == MountSpec.Type.VOLUME) {
                    names.add(m.name());
                }
            }
        }
        return names;
    }

    @Override
    public Volume inspect(String name) {
        return view(engine.volume(name));
    }

    @Override
    public void remove(String name, boolean force) {
        engine.removeVolume(name);
    }

    @Override
    public VolumePruneResponse prune(Filters filters) {
        boolean all = filters != null && filters.get("all").stream().anyMatch(v -> v.equals("true") || v.equals("1"));
        PruneResult r = engine.pruneVolumes(all);
        return new VolumePruneResponse(r.removed(), r.spaceReclaimed());
    }

    static Volume view(dev.gantry.engine.Volume v) {
        return new Volume(v.name(), v.driver(), v.mountpoint(), v.createdAt(), null, v.labels(), "local", Map.of(), null);
    }
}
