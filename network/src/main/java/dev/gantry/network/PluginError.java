package dev.gantry.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;

/** Turns a plugin's error result (SPEC.md section 5, "Error") into a {@link GantryException} naming the plugin. */
final class PluginError {
    private PluginError() {
    }

    static GantryException of(PluginExecutor.Outcome outcome, String type, String context, String command) {
        String prefix = "CNI plugin " + type + " " + command + " (" + context + ")";
        JsonNode error;
        try {
            error = CniJson.object(outcome.stdout(), "error");
        } catch (GantryException notJson) {
            String stderr = outcome.stderr().strip();
            return new GantryException(ErrorKind.INTERNAL, prefix + ": exit code " + outcome.exitCode()
                    + (stderr.isEmpty() ? "" : ": " + stderr.lines().reduce((a, b) -> b).orElse("")));
        }
        int code = error.path("code").asInt(0);
        String msg = CniJson.text(error, "msg");
        String details = CniJson.text(error, "details");
        String text = prefix + ": " + (msg == null ? "exit code " + outcome.exitCode() : msg)
                + (details == null || details.isEmpty() ? "" : ": " + details) + " [CNI error " + code + "]";
        return new GantryException(kind(code), text);
    }

    /** SPEC.md section 5 "Error": the well-known codes and the kinds they are failures of. */
    private static ErrorKind kind(int code) {
        return switch (code) {
            case 1, 2, 4, 6, 7 -> ErrorKind.INVALID_ARGUMENT;
            case 3 -> ErrorKind.NOT_FOUND;
            case 11, 50, 51 -> ErrorKind.UNAVAILABLE;
            default -> ErrorKind.INTERNAL;
        };
    }
}
