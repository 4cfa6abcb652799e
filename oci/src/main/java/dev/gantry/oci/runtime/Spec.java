package dev.gantry.oci.runtime;

import java.util.List;
import java.util.Map;

/**
 * The bundle's {@code config.json} (OCI runtime spec, config.md). Every component except
 * {@code ociVersion} and {@code root} is optional and may be {@code null}; {@link OciSpecs}
 * parses and validates it.
 */
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {

    public List<Mount> mountsOrEmpty() {
        return mounts == null ? List.of() : mounts;
    }

    public Map<String, String> annotationsOrEmpty() {
        return annotations == null ? Map.of() : annotations;
    }

    public Hooks hooksOrEmpty() {
        return hooks == null ? Hooks.NONE : hooks;
    }

    public Linux linuxOrEmpty() {
        return linux == null ? Linux.EMPTY : linux;
    }

    public Spec withProcess(Process newProcess) {
        return new Spec(ociVersion, newProcess, root, hostname, domainname, mounts, hooks, annotations, linux);
    }

    public Spec withLinux(Linux newLinux) {
        return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, newLinux);
    }
}
