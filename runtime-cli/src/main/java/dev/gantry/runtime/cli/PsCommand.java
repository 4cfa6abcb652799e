package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.JsonTree;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

final class PsCommand implements Verb {
    @Override
    public String name() {
        return "ps";
    }

    @Override
    public String summary() {
        return "List a container's processes (ps(1) output filtered to them, or their pids as JSON).";
    }

    @Override
    public String synopsis() {
        return "[options] <container-id> [ps options]";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--format", "-f", "table|json", "output format (default table)"));
    }

    @Override
    public int run(GantryRunc app, Args a) throws Exception {
        String id = a.positional(name(), 0, "<container-id>");
        String format = a.value("--format").orElse("table");
        List<Integer> pids = app.runtime().ps(id);
        if (format.equals("json")) {
            System.out.println(new String(JsonTree.write(pids), java.nio.charset.StandardCharsets.UTF_8));
            return 0;
        }
        if (!format.equals("table")) {
            throw GantryException.invalid("--format: unknown format \"" + format + "\" (use table or json)");
        }
        List<String> psArgs = a.positionals().subList(1, a.positionals().size());
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
