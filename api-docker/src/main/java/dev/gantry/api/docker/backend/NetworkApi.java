package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.Network;
import dev.gantry.api.docker.model.NetworkConnectRequest;
import dev.gantry.api.docker.model.NetworkCreateRequest;
import dev.gantry.api.docker.model.NetworkCreateResponse;
import dev.gantry.api.docker.model.NetworkDisconnectRequest;
import dev.gantry.api.docker.model.NetworkPruneResponse;
import java.util.List;

/**
 * The {@code /networks} endpoints. A network reference is a name, a full id or a unique id
 * prefix; an unknown one is NOT_FOUND ("network x not found").
 */
public interface NetworkApi {
    List<Network> list(Filters filters);

    Network inspect(String ref);

    NetworkCreateResponse create(NetworkCreateRequest request);

    void remove(String ref);

    NetworkPruneResponse prune(Filters filters);

    void connect(String ref, NetworkConnectRequest request);

    void disconnect(String ref, NetworkDisconnectRequest request);
}
