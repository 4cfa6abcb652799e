package dev.gantry.engine.internal.health;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Healthcheck;
import dev.gantry.engine.internal.AtomicFiles;
import dev.gantry.engine.internal.EngineJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A container's effective health check, fixed at create ({@code healthcheck.json} in its
 * directory; absent when it has none), beside the container's record rather than in it.
 */
public final class HealthcheckFile {
    private static final String NAME = "healthcheck.json";

    private HealthcheckFile() {
    }

    public static void write(Path containerDir, Healthcheck check) {
        AtomicFiles.write(containerDir.resolve(NAME), EngineJson.write(check));
    }

    public static Optional<Healthcheck> read(Path containerDir) {
        Path file = containerDir.resolve(NAME);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Optional.of(EngineJson.read(Files.readAllBytes(file), Healthcheck.class, file.toString()));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading " + file + ": " + e.getMessage(), e);
        }
    }
}
