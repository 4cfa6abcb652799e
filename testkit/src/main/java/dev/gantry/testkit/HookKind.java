package dev.gantry.testkit;

/** The hook points of the runtime spec, named exactly as the {@code hooks} keys of config.json. */
public enum HookKind {
    prestart, createRuntime, createContainer, startContainer, poststart, poststop
}
