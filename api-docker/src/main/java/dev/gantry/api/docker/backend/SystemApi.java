package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.api.docker.model.AuthResponse;
import dev.gantry.api.docker.model.EventMessage;
import dev.gantry.api.docker.model.SystemDataUsage;
import java.io.IOException;
import java.util.Set;

/**
 * The engine-wide endpoints that need the engine: disk usage, the event stream and registry
 * login. ({@code /_ping}, {@code /version} and {@code /info} are served from a
 * {@link SystemInfoProvider} and need no engine.)
 */
public interface SystemApi {
    /** Disk usage of the given object types ("container", "image", "volume", "build-cache"; empty: all). */
    SystemDataUsage dataUsage(Set<String> types);

    /** Writes matching events in order until {@code query.until()} or until the client goes away. */
    void events(EventQuery query, Sink<EventMessage> out) throws IOException;

    /** Checks credentials against a registry; a refusal is PERMISSION_DENIED with the registry's reason. */
    AuthResponse login(AuthConfig auth);
}
