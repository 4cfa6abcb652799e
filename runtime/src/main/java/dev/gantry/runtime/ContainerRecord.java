package dev.gantry.runtime;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.JsonTree;
import dev.gantry.oci.runtime.RecordBinder;
import dev.gantry.oci.runtime.Spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the runtime remembers about a container between invocations, stored as state.json in
 * the container's state directory. The status is not stored: it is derived from the init
 * process and the exec fifo each time ({@link StateStore#status}).
 *
 * <p>The config is kept as a JSON tree ({@link JsonTree}) and turned into a {@link Spec} only by the commands
 * that need all of it (exec, update): `state`, `start`, `kill` and `delete` read only its
 * version, annotations and hooks, and binding the whole spec is most of a short-lived
 * command's start-up.
 *
 * @param pidStartTime the init's start time in clock ticks since boot (/proc/PID/stat field
 *                     22), which tells a live init from an unrelated process that reused its pid
 * @param creating     true while create has not finished
 * @param cgroupsPath  the container's cgroup, relative to each hierarchy's root
 * @param config       the validated config.json the container was created from (updates applied)
 */
public record ContainerRecord(String id, String bundle, String rootfs, int pid, long pidStartTime,
        String created, String owner, boolean creating, String cgroupsPath, Map<String, Object> config) {

    public ContainerRecord withInit(int newPid, long startTime, boolean stillCreating) {
        return new ContainerRecord(id, bundle, rootfs, newPid, startTime, created, owner, stillCreating, cgroupsPath, config);
    }

    public ContainerRecord withSpec(Spec spec) {
        return new ContainerRecord(id, bundle, rootfs, pid, pidStartTime, created, owner, creating, cgroupsPath,
                tree(spec));
    }

    /** A spec as the JSON tree a record keeps. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> tree(Spec spec) {
        return (Map<String, Object>) JsonTree.parse(JsonTree.write(spec), "config.json");
    }

    /** The whole config. */
    public Spec spec() {
        try {
            return RecordBinder.bind(config, Spec.class, "config.json");
        } catch (GantryException e) {
            throw new GantryException(ErrorKind.INTERNAL, "state of container \"" + id + "\" has an unreadable config: "
                    + e.getMessage());
        }
    }

    public String ociVersion() {
        return config.get("ociVersion") instanceof String v ? v : "";
    }

    public Map<String, String> annotations() {
        Map<String, String> out = new LinkedHashMap<>();
        if (config.get("annotations") instanceof Map<?, ?> annotations) {
            annotations.forEach((k, v) -> out.put((String) k, v instanceof String text ? text : String.valueOf(v)));
        }
        return out;
    }

    /** Whether the config has hooks of this kind ("poststart", "poststop", ...). */
    public boolean hasHooks(String kind) {
        return config.get("hooks") instanceof Map<?, ?> hooks && hooks.get(kind) instanceof java.util.List<?> list
                && !list.isEmpty();
    }
}
