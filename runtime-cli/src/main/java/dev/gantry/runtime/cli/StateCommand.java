package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.JsonTree;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.ContainerRecord;
import dev.gantry.runtime.ContainerRuntime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class StateCommand implements Verb {
    @Override
    public String name() {
        return "state";
    }

    @Override
    public String summary() {
        return "Print a container's state as JSON.";
    }

    @Override
    public String synopsis() {
        return "<container-id>";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of();
    }

    @Override
    public int run(GantryRunc app, Args a) throws Exception {
        String id = a.positional(name(), 0, "<container-id>");
        a.atMost(name(), 1);
        ContainerRuntime rt = app.runtime();
        ContainerRecord rec = rt.store().load(id);
        System.out.println(new String(JsonTree.write(describe(rec, rt.store().state(rec)), true), java.nio.charset.StandardCharsets.UTF_8));
        return 0;
    }

    /** The OCI state plus runc's extra fields (rootfs, created, owner), which shims read. */
    static Map<String, Object> describe(ContainerRecord rec, State s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", s.ociVersion());
        m.put("id", s.id());
        m.put("pid", s.pid() == null ? 0 : s.pid());
        m.put("status", s.status().wire());
        m.put("bundle", s.bundle());
        m.put("rootfs", rec.rootfs());
        m.put("created", rec.created());
        if (!s.annotations().isEmpty()) {
            m.put("annotations", s.annotations());
        }
        m.put("owner", rec.owner() == null ? "" : rec.owner());
        return m;
    }
}
