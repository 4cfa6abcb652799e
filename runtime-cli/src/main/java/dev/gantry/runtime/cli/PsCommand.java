package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.OciJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "ps", description = "List a container's processes (ps(1) output filtered to them, or their pids as JSON).")
final class PsCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = {"-f", "--format"}, description = "table or json (default: ${DEFAULT-VALUE})", defaultValue = "table")
    String format;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1..*", paramLabel = "<ps-args>", description = "arguments for ps(1) (default: -ef)")
    List<String> psArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Integer> pids = app.runtime().ps(id);
        if (format.equals("json")) {
            System.out.println(OciJson.mapper().writeValueAsString(pids));
            return 0;
        }
        if (!format.equals("table")) {
            throw GantryException.invalid("--format: unknown format \"" + format + "\" (use table or json)");
        }
        List<String> cmd = new ArrayList<>(List.of("ps"));
        cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        java.lang.Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Set<String> wanted = new HashSet<>();
        pids.forEach(p -> wanted.add(p.toString()));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(ps.getInputStream()))) {
            String header = r.readLine();
            if (header == null) {
                throw GantryException.invalid("ps printed nothing");
            }
            int pidColumn = List.of(header.trim().split("\\s+")).indexOf("PID");
            if (pidColumn < 0) {
                throw GantryException.invalid("ps output has no PID column: " + header);
            }
            System.out.println(header);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length > pidColumn && wanted.contains(cols[pidColumn])) {
                    System.out.println(line);
                }
            }
        }
        return ps.waitFor() == 0 ? 0 : 1;
    }
}
