package dev.gantry.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fixed table for the tests that remembers every name it was asked for. */
final class MapNameTable implements NameTable {
    private final Map<String, List<InetAddress>> addresses;
    private final Map<InetAddress, String> names;
    private final List<String> asked = new CopyOnWriteArrayList<>();

    MapNameTable(Map<String, List<InetAddress>> addresses, Map<InetAddress, String> names) {
        this.addresses = Map.copyOf(addresses);
        this.names = Map.copyOf(names);
    }

    static MapNameTable network() {
        InetAddress web = InetAddress.ofLiteral("172.18.0.2");
        InetAddress db4 = InetAddress.ofLiteral("172.18.0.3");
        InetAddress db6 = InetAddress.ofLiteral("fd00:18::3");
        return new MapNameTable(
                Map.of("web", List.of(web), "frontend", List.of(web), "db", List.of(db4, db6)),
                Map.of(web, "web.gantry-net", db4, "db.gantry-net"));
    }

    @Override
    public List<InetAddress> lookup(String name) {
        asked.add(name);
        return addresses.getOrDefault(name, List.of());
    }

    @Override
    public Optional<String> reverse(InetAddress address) {
        return Optional.ofNullable(names.get(address));
    }

    List<String> asked() {
        return List.copyOf(asked);
    }
}
