package dev.gantry.runtime.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.OciSpecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

@Command(name = "spec", description = "Write a default config.json into the bundle directory.")
final class SpecCommand implements Callable<Integer> {
    @Option(names = {"-b", "--bundle"}, description = "bundle directory (default: current directory)", defaultValue = ".")
    Path bundle;

    @Option(names = "--rootless", description = "a config for a container run by an unprivileged user")
    boolean rootless;

    @Override
    public Integer call() throws Exception {
        Path config = bundle.resolve("config.json");
        if (Files.exists(config)) {
            throw new GantryException(ErrorKind.ALREADY_EXISTS, "File " + config + " exists. Remove it first");
        }
        try (OutputStream out = Files.newOutputStream(config, StandardOpenOption.CREATE_NEW)) {
            OciSpecs.write(rootless ? OciSpecs.rootlessSpec() : OciSpecs.defaultSpec(), out);
        }
        return 0;
    }
}
