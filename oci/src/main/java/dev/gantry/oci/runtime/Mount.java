package dev.gantry.oci.runtime;

import java.util.List;

/**
 * One entry of {@code mounts}, mounted in list order. A bind mount is one whose options
 * contain {@code bind} or {@code rbind}; its {@code type} is then a dummy.
 */
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<LinuxIdMapping> uidMappings,
        List<LinuxIdMapping> gidMappings) {

    public Mount(String destination, String type, String source, List<String> options) {
        this(destination, type, source, options, null, null);
    }

    public List<String> optionsOrEmpty() {
        return options == null ? List.of() : options;
    }

    public boolean isBind() {
        return optionsOrEmpty().contains("bind") || optionsOrEmpty().contains("rbind");
    }
}
