package dev.gantry.engine.net;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tells the {@link NetworkListener}s (the DNS servers) the endpoints a network has now, after
 * they changed. A listener's failure is a warning naming the network: it never fails the change.
 */
final class NetworkAnnouncer {
    private final NetworkCatalogue catalogue;
    private final ContainerRecords records;
    private final List<NetworkListener> listeners;
    private final Consumer<String> warn;

    NetworkAnnouncer(NetworkCatalogue catalogue, ContainerRecords records, List<NetworkListener> listeners, Consumer<String> warn) {
        this.catalogue = catalogue;
        this.records = records;
        this.listeners = List.copyOf(listeners);
        this.warn = warn;
    }

    /** Announces each network that one of {@code endpoints} is (or was) on, once; a network removed since is skipped. */
    void changed(List<Endpoint> endpoints) {
        endpoints.stream().map(Endpoint::networkId).distinct().forEach(nid -> {
            NetworkRecord n = catalogue.byId(nid);
            if (n != null) {
                announce(n);
            }
        });
    }

    /** Announces the network's endpoints as they are now. */
    void announce(NetworkRecord n) {
        Map<String, Endpoint> endpoints = records.endpointsOf(n.id());
        for (NetworkListener l : listeners) {
            try {
                l.changed(n, endpoints);
            } catch (RuntimeException e) {
                warn.accept("network " + n.name() + ": " + e.getMessage());
            }
        }
    }
}
