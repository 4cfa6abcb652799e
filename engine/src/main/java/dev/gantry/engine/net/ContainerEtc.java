package dev.gantry.engine.net;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes a container's /etc/hosts and /etc/resolv.conf ({@link EtcFiles}) from its record and
 * networks: the primary network is its mode's (none for {@code host}, {@code none} and
 * {@code container:}); without one, the default network's gateway stands in for
 * {@code host-gateway}.
 */
final class ContainerEtc {
    private final NetworkCatalogue catalogue;
    private final Object lock;
    private final Path hostResolvConf;

    /** @param hostResolvConf the host's resolv.conf, whose resolvers the default network's containers get */
    ContainerEtc(NetworkCatalogue catalogue, Object lock, Path hostResolvConf) {
        this.catalogue = catalogue;
        this.lock = lock;
        this.hostResolvConf = hostResolvConf;
    }

    /** @param endpoints the container's endpoints, whose addresses go in /etc/hosts (none before it runs) */
    void write(ContainerNet c, Path etcDir, List<Endpoint> endpoints) {
        NetworkRecord primary;
        NetworkRecord fallback;
        synchronized (lock) {
            primary = catalogue.byId(c.mode());
            fallback = catalogue.defaultNetwork();
        }
        EtcFiles.writeFor(c, primary, fallback.gateway(), hostResolvConf, etcDir, endpoints);
    }
}
