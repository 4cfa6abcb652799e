package dev.gantry.runtime.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

import java.util.List;

final class DeleteCommand implements Verb {
    @Override
    public String name() {
        return "delete";
    }

    @Override
    public String summary() {
        return "Delete a stopped container (with --force, kill it first).";
    }

    @Override
    public String synopsis() {
        return "[options] <container-id>";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.flag("--force", "-f", "kill the container if it is running"));
    }

    @Override
    public int run(GantryRunc app, Args a) {
        String id = a.positional(name(), 0, "<container-id>");
        a.atMost(name(), 1);
        boolean force = a.flag("--force");
        var runtime = app.runtime();
        try {
            runtime.delete(id, force);
        } catch (GantryException e) {
            // runc: `delete --force` of a container that does not exist succeeds.
            if (!(force && e.kind() == ErrorKind.NOT_FOUND)) {
                throw e;
            }
        }
        // A delete killed halfway leaves its state directory renamed aside: the next one removes it.
        try {
            runtime.store().deleteLeftovers();
        } catch (RuntimeException e) {
            app.log().warn("removing leftover state directories: " + e.getMessage());
        }
        return 0;
    }
}
