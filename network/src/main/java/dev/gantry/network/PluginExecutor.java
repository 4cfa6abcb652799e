package dev.gantry.network;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one CNI plugin binary: the protocol parameters as environment, the request
 * configuration on stdin (SPEC.md section 2).
 */
public interface PluginExecutor {
    /** What the plugin did: its exit code, stdout (the result or error document) and stderr (diagnostics). */
    record Outcome(int exitCode, byte[] stdout, String stderr) {
    }

    /**
     * Runs {@code binary} with {@code cniEnv} added to the environment and {@code stdin} as
     * input, and waits for it to exit.
     *
     * @throws dev.gantry.base.GantryException TIMEOUT when the plugin outlives the executor's
     *     limit (it is killed), INTERNAL when it cannot be started
     */
    Outcome run(Path binary, Map<String, String> cniEnv, byte[] stdin);
}
