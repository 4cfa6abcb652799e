package dev.gantry.oci.runtime;

import java.util.List;

/** One hook: an absolute {@code path}, its argv and env, and an optional timeout in seconds (> 0). */
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
}
