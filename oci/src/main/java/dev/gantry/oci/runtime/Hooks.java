package dev.gantry.oci.runtime;

import java.util.List;

/**
 * Lifecycle hooks (config.md "POSIX-platform Hooks"), each run in list order at its point of
 * the lifecycle in runtime.md. {@code prestart} is deprecated but still honoured.
 */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {

    static final Hooks NONE = new Hooks(null, null, null, null, null, null);

    public List<Hook> prestartOrEmpty() {
        return orEmpty(prestart);
    }

    public List<Hook> createRuntimeOrEmpty() {
        return orEmpty(createRuntime);
    }

    public List<Hook> createContainerOrEmpty() {
        return orEmpty(createContainer);
    }

    public List<Hook> startContainerOrEmpty() {
        return orEmpty(startContainer);
    }

    public List<Hook> poststartOrEmpty() {
        return orEmpty(poststart);
    }

    public List<Hook> poststopOrEmpty() {
        return orEmpty(poststop);
    }

    private static List<Hook> orEmpty(List<Hook> hooks) {
        return hooks == null ? List.of() : hooks;
    }
}
