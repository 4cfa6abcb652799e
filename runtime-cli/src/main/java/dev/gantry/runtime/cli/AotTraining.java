package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.runtime.plan.InitPlanner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The training run for gantry-runc's AOT cache (JDK 25 -XX:AOTCacheOutput): exercises the
 * command line, JSON and the planner without root, so that their classes are pre-linked.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("gantry-aot");
        try {
            Path bundle = Files.createDirectories(dir.resolve("bundle"));
            Files.createDirectories(bundle.resolve("rootfs"));
            GantryRunc.execute("spec", "--bundle", bundle.toString());
            var spec = OciSpecs.read(bundle.resolve("config.json"));
            new InitPlanner(HostFacts.probe(), w -> { }).plan(new InitPlanner.Request(spec, bundle,
                    bundle.resolve("rootfs"), dir.resolve("fifo"), false, Optional.empty(), null, java.util.Map.of())).encode();
            String root = dir.resolve("state").toString();
            GantryRunc.execute("--root", root, "list");
            GantryRunc.execute("--root", root, "list", "--format", "json");
            GantryRunc.execute("--root", root, "--log", dir.resolve("log").toString(), "--log-format", "json", "state", "missing");
            GantryRunc.execute("--help");
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
