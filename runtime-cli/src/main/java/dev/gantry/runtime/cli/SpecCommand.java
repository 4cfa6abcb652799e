package dev.gantry.runtime.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.OciSpecs;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

final class SpecCommand implements Verb {
    @Override
    public String name() {
        return "spec";
    }

    @Override
    public String summary() {
        return "Write a default config.json into the bundle directory.";
    }

    @Override
    public String synopsis() {
        return "[options]";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(Args.Opt.value("--bundle", "-b", "dir", "bundle directory (default: current directory)"),
                Args.Opt.flag("--rootless", null, "a config for a container run by an unprivileged user"));
    }

    @Override
    public int run(GantryRunc app, Args a) throws Exception {
        a.atMost(name(), 0);
        Path config = CreateCommand.bundle(a).resolve("config.json");
        if (Files.exists(config)) {
            throw new GantryException(ErrorKind.ALREADY_EXISTS, "File " + config + " exists. Remove it first");
        }
        try (OutputStream out = Files.newOutputStream(config, StandardOpenOption.CREATE_NEW)) {
            OciSpecs.write(a.flag("--rootless") ? OciSpecs.rootlessSpec() : OciSpecs.defaultSpec(), out);
        }
        return 0;
    }
}
