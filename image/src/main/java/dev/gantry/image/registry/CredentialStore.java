package dev.gantry.image.registry;

import java.util.Optional;

/** Where registry credentials come from (a Docker config file, a login command, a test). */
public interface CredentialStore {
    Optional<Credential> find(String registry);

    /** No credentials at all: anonymous pulls only. */
    CredentialStore NONE = registry -> Optional.empty();
}
