package dev.gantry.engine.net;

import java.nio.file.Path;
import java.util.List;

/**
 * The engine's networking settings.
 *
 * @param bridgeName     the default network's bridge device (Docker's docker0)
 * @param bridgeSubnet   the default network's subnet; null: the first free pool at first start,
 *                       kept from then on
 * @param pluginDirs     where the CNI plugin binaries are looked up, in order
 * @param resolvConf     the host's resolver configuration (containers' name servers on the default
 *                       network, the DNS servers' upstreams on user networks)
 * @param pluginTimeout  milliseconds a CNI plugin may run before it is killed
 */
public record NetworkDefaults(String bridgeName, String bridgeSubnet, List<Path> pluginDirs, Path resolvConf,
                              long pluginTimeout) {
    public static final NetworkDefaults HOST = new NetworkDefaults("gantry0", null,
            List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin")), Path.of("/etc/resolv.conf"), 30_000);

    public NetworkDefaults {
        pluginDirs = List.copyOf(pluginDirs);
    }

    public NetworkDefaults withBridge(String name, String subnet) {
        return new NetworkDefaults(name, subnet, pluginDirs, resolvConf, pluginTimeout);
    }

    public NetworkDefaults withPluginDirs(List<Path> dirs) {
        return new NetworkDefaults(bridgeName, bridgeSubnet, dirs, resolvConf, pluginTimeout);
    }
}
