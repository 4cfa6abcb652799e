package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.Volume;
import dev.gantry.api.docker.model.VolumeCreateRequest;
import dev.gantry.api.docker.model.VolumeListResponse;
import dev.gantry.api.docker.model.VolumePruneResponse;

/**
 * Named volumes. A volume is known by its <em>name</em> (anonymous volumes get a 64-hex
 * one); unknown names are NOT_FOUND ("no such volume"), a volume in use is CONFLICT on
 * removal (unless {@code force}). Creating an existing volume with the same options returns
 * it unchanged, as Docker does.
 */
public interface VolumeApi {
    Volume create(VolumeCreateRequest request);

    /** Filters: dangling, driver, label, name. */
    VolumeListResponse list(Filters filters);

    Volume inspect(String name);

    void remove(String name, boolean force);

    /** Removes unused volumes; only anonymous ones unless the filter all=true. */
    VolumePruneResponse prune(Filters filters);
}
