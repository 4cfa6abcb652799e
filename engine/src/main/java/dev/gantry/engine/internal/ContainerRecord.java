package dev.gantry.engine.internal;

import dev.gantry.engine.Config;
import dev.gantry.engine.ContainerState;
import dev.gantry.engine.HostConfig;
import dev.gantry.engine.MountSpec;
import java.util.List;

/**
 * What the engine persists per container ({@code containers/<id>/container.<n>.json}, see {@link ContainerStore}).
 *
 * @param snapshotParent  the committed snapshot (top layer's chain id) its writable layer is prepared on
 * @param mounts           its binds, volume and tmpfs mounts from Binds, Mounts and Volumes, anonymous volumes named
 * @param anonymousVolumes the anonymous volumes created for it, removed with it by remove -v
 * @param manuallyStopped  a user stopped it: unless-stopped does not start it when the engine starts
 * @param restartCount     restarts by its policy since the last explicit start
 */
public record ContainerRecord(String id, String name, String created, String imageRef, String imageId,
        String snapshotParent, Config config, HostConfig hostConfig, ContainerState state, int restartCount,
        boolean manuallyStopped, List<MountSpec> mounts, List<String> anonymousVolumes) {

    public ContainerRecord {
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        anonymousVolumes = anonymousVolumes == null ? List.of() : List.copyOf(anonymousVolumes);
    }

    public ContainerRecord withState(ContainerState s) {
        return new ContainerRecord(id, name, created, imageRef, imageId, snapshotParent, config, hostConfig, s,
                restartCount, manuallyStopped, mounts, anonymousVolumes);
    }

    public ContainerRecord withHostConfig(HostConfig h) {
        return new ContainerRecord(id, name, created, imageRef, imageId, snapshotParent, config, h, state,
                restartCount, manuallyStopped, mounts, anonymousVolumes);
    }

    public ContainerRecord withName(String n) {
        return new ContainerRecord(id, n, created, imageRef, imageId, snapshotParent, config, hostConfig, state,
                restartCount, manuallyStopped, mounts, anonymousVolumes);
    }

    public ContainerRecord withRestart(int count, boolean stoppedByUser) {
        return new ContainerRecord(id, name, created, imageRef, imageId, snapshotParent, config, hostConfig, state,
                count, stoppedByUser, mounts, anonymousVolumes);
    }
}
