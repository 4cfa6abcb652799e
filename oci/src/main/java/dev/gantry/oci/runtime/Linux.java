package dev.gantry.oci.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Linux-specific part of the config (config-linux.md). All components are optional. */
public record Linux(
        List<LinuxIdMapping> uidMappings,
        List<LinuxIdMapping> gidMappings,
        Map<String, String> sysctl,
        LinuxResources resources,
        String cgroupsPath,
        List<LinuxNamespace> namespaces,
        List<LinuxDevice> devices,
        LinuxSeccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        LinuxIntelRdt intelRdt,
        LinuxPersonality personality,
        Map<String, LinuxTimeOffset> timeOffsets,
        Map<String, LinuxNetDevice> netDevices,
        LinuxMemoryPolicy memoryPolicy) {

    static final Linux EMPTY = new Linux(null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    public List<LinuxIdMapping> uidMappingsOrEmpty() {
        return uidMappings == null ? List.of() : uidMappings;
    }

    public List<LinuxIdMapping> gidMappingsOrEmpty() {
        return gidMappings == null ? List.of() : gidMappings;
    }

    public Map<String, String> sysctlOrEmpty() {
        return sysctl == null ? Map.of() : sysctl;
    }

    public List<LinuxNamespace> namespacesOrEmpty() {
        return namespaces == null ? List.of() : namespaces;
    }

    /** The namespace entry of the given type ("pid", "user", ...), if the config lists one. */
    public Optional<LinuxNamespace> namespace(String type) {
        return namespacesOrEmpty().stream().filter(ns -> type.equals(ns.type())).findFirst();
    }

    public boolean hasNamespace(String type) {
        return namespace(type).isPresent();
    }

    public List<LinuxDevice> devicesOrEmpty() {
        return devices == null ? List.of() : devices;
    }

    public List<String> maskedPathsOrEmpty() {
        return maskedPaths == null ? List.of() : maskedPaths;
    }

    public List<String> readonlyPathsOrEmpty() {
        return readonlyPaths == null ? List.of() : readonlyPaths;
    }

    public Map<String, LinuxTimeOffset> timeOffsetsOrEmpty() {
        return timeOffsets == null ? Map.of() : timeOffsets;
    }
}
