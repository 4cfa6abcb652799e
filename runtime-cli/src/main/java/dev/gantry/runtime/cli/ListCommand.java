package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.OciJson;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.ContainerRecord;
import dev.gantry.runtime.ContainerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "list", aliases = "ls", description = "List the containers in the state directory.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = {"-f", "--format"}, description = "table or json (default: ${DEFAULT-VALUE})", defaultValue = "table")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "print only the ids")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        ContainerRuntime rt = app.runtime();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String id : rt.store().ids()) {
            ContainerRecord rec;
            try {
                rec = rt.store().load(id);
            } catch (GantryException e) {
                continue; // deleted meanwhile
            }
            State s = rt.store().state(rec);
            rows.add(StateCommand.describe(rec, s));
        }
        if (quiet) {
            rows.forEach(r -> System.out.println(r.get("id")));
        } else if (format.equals("json")) {
            System.out.println(OciJson.mapper().writeValueAsString(rows));
        } else if (format.equals("table")) {
            String fmt = "%-12s %-8s %-10s %-40s %-30s %s%n";
            System.out.printf(fmt, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
            for (var r : rows) {
                System.out.printf(fmt, r.get("id"), r.get("pid"), r.get("status"), r.get("bundle"), r.get("created"), r.get("owner"));
            }
        } else {
            throw GantryException.invalid("--format: unknown format \"" + format + "\" (use table or json)");
        }
        return 0;
    }
}
