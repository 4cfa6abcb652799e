package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code HostConfig.SecurityOpt}, parsed. Seccomp: the engine's default profile, none
 * ({@code seccomp=unconfined}), or a profile in Docker's format given inline (the docker CLI
 * sends the file's JSON) or as a path on the engine's host.
 *
 * @param seccompProfile the custom profile's JSON, or null
 */
public record SecurityOptions(boolean seccompUnconfined, byte[] seccompProfile, boolean noNewPrivileges,
        boolean systemPathsUnconfined) {

    public static SecurityOptions parse(List<String> opts) {
        boolean unconfined = false;
        byte[] profile = null;
        boolean nnp = false;
        boolean systemPaths = false;
        for (String opt : opts) {
            String[] kv = opt.split("[=:]", 2);
            String key = kv[0];
            String value = kv.length > 1 ? kv[1] : null;
            switch (key) {
                case "seccomp" -> {
                    if (value == null || value.isEmpty()) {
                        throw GantryException.invalid("HostConfig.SecurityOpt: seccomp needs a value (unconfined or a profile)");
                    }
                    if (value.equals("unconfined")) {
                        unconfined = true;
                    } else if (value.trim().startsWith("{")) {
                        profile = value.getBytes(StandardCharsets.UTF_8);
                    } else {
                        try {
                            profile = Files.readAllBytes(Path.of(value));
                        } catch (java.io.IOException e) {
                            throw GantryException.invalid("HostConfig.SecurityOpt: seccomp profile " + value
                                    + " cannot be read: " + e.getMessage());
                        }
                    }
                }
                case "no-new-privileges" -> {
                    if (value != null && !value.equals("true") && !value.equals("false")) {
                        throw GantryException.invalid("HostConfig.SecurityOpt: no-new-privileges takes true or false, not \""
                                + value + "\"");
                    }
                    nnp = value == null || value.equals("true");
                }
                case "systempaths" -> {
                    if (!"unconfined".equals(value)) {
                        throw GantryException.invalid("HostConfig.SecurityOpt: systempaths only takes unconfined");
                    }
                    systemPaths = true;
                }
                // No LSM is enabled on the hosts Gantry targets: an AppArmor or SELinux option
                // has nothing to act on, and dockerd accepts them in that case too.
                case "apparmor", "label" -> { }
                default -> throw GantryException.invalid("HostConfig.SecurityOpt: unknown option \"" + opt + "\"");
            }
        }
        return new SecurityOptions(unconfined, profile, nnp, systemPaths);
    }
}
