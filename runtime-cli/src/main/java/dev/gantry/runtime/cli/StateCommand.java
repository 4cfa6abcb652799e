package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.OciJson;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.ContainerRecord;
import dev.gantry.runtime.ContainerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "state", description = "Print a container's state as JSON.")
final class StateCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws Exception {
        ContainerRuntime rt = app.runtime();
        ContainerRecord rec = rt.store().load(id);
        System.out.println(OciJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(describe(rec, rt.store().state(rec))));
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
