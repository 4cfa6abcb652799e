package dev.gantry.oci.runtime;

import java.util.List;

/** personality(2) execution domain: {@code domain} is LINUX or LINUX32. */
public record LinuxPersonality(String domain, List<String> flags) {
}
