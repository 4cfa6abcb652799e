package dev.gantry.oci.runtime;

import java.util.List;

/** Capability names ("CAP_KILL") per set; a {@code null} set means empty. */
public record LinuxCapabilities(
        List<String> bounding,
        List<String> effective,
        List<String> inheritable,
        List<String> permitted,
        List<String> ambient) {

    public List<String> boundingOrEmpty() {
        return orEmpty(bounding);
    }

    public List<String> effectiveOrEmpty() {
        return orEmpty(effective);
    }

    public List<String> inheritableOrEmpty() {
        return orEmpty(inheritable);
    }

    public List<String> permittedOrEmpty() {
        return orEmpty(permitted);
    }

    public List<String> ambientOrEmpty() {
        return orEmpty(ambient);
    }

    private static List<String> orEmpty(List<String> set) {
        return set == null ? List.of() : set;
    }
}
