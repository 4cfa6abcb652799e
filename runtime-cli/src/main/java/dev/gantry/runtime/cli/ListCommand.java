package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.JsonTree;
import dev.gantry.runtime.ContainerRecord;
import dev.gantry.runtime.ContainerRuntime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

final class ListCommand implements Verb {
    @Override
    public String name() {
        return "list";
    }

    @Override
    public String summary() {
        return "List the containers in the state directory (also: ls).";
    }

    @Override
    public String synopsis() {
        return "[options]";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--format", "-f", "table|json", "output format (default table)"),
                Args.Opt.flag("--quiet", "-q", "print only the ids"));
    }

    @Override
    public int run(GantryRunc app, Args a) throws Exception {
        a.atMost(name(), 0);
        String format = a.value("--format").orElse("table");
        if (!format.equals("table") && !format.equals("json")) {
            throw GantryException.invalid("--format: unknown format \"" + format + "\" (use table or json)");
        }
        ContainerRuntime rt = app.runtime();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String id : rt.store().ids()) {
            ContainerRecord rec;
            try {
                rec = rt.store().load(id);
            } catch (GantryException e) {
                continue; // deleted meanwhile
            }
            rows.add(StateCommand.describe(rec, rt.store().state(rec)));
        }
        if (a.flag("--quiet")) {
            rows.forEach(r -> System.out.println(r.get("id")));
        } else if (format.equals("json")) {
            System.out.println(new String(JsonTree.write(rows), java.nio.charset.StandardCharsets.UTF_8));
        } else {
            String fmt = "%-12s %-8s %-10s %-40s %-30s %s%n";
            System.out.printf(fmt, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
            for (var r : rows) {
                System.out.printf(fmt, r.get("id"), r.get("pid"), r.get("status"), r.get("bundle"), r.get("created"),
                        r.get("owner"));
            }
        }
        return 0;
    }
}
