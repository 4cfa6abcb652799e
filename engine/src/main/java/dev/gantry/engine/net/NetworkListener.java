package dev.gantry.engine.net;

import java.util.Map;

/** Tells another component (the DNS servers) that a network's endpoints changed, or that the network went. */
interface NetworkListener {
    /** @param endpointsByContainer every running container on the network: container id → its endpoint there */
    void changed(NetworkRecord network, Map<String, Endpoint> endpointsByContainer);

    void removed(NetworkRecord network);
}
