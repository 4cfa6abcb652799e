package dev.gantry.engine.net;

import dev.gantry.base.GantryException;
import dev.gantry.dns.DnsServer;
import dev.gantry.dns.NameTable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One DNS server per user-defined network, on the network's gateway address, port 53: it
 * answers the names, short ids and aliases of the containers attached to that network and
 * forwards every other query to the host's resolvers. The default {@code bridge} network gets
 * none (Docker's does not resolve names either). A server starts with the network's first
 * endpoint (before it the bridge has no gateway address to bind) and stops with the network.
 */
final class NetworkDns implements NetworkListener, AutoCloseable {
    private final Supplier<List<InetSocketAddress>> upstreams;
    private final Function<String, List<String>> namesOf;
    private final Consumer<String> warn;
    private final Map<String, Served> servers = new HashMap<>();

    /** A running server and the table it answers from, replaced whole on every change. */
    private static final class Served implements NameTable {
        final DnsServer server;
        volatile Map<String, List<InetAddress>> forward = Map.of();
        volatile Map<InetAddress, String> reverse = Map.of();

        Served(InetSocketAddress bind, List<InetSocketAddress> upstreams) {
            this.server = DnsServer.start(bind, this, upstreams);
        }

        @Override
        public List<InetAddress> lookup(String name) {
            return forward.getOrDefault(name, List.of());
        }

        @Override
        public Optional<String> reverse(InetAddress address) {
            return Optional.ofNullable(reverse.get(address));
        }
    }

    /**
     * @param namesOf for a {@code containerId/networkId} key, the names the container answers to there
     */
    NetworkDns(Supplier<List<InetSocketAddress>> upstreams, Function<String, List<String>> namesOf, Consumer<String> warn) {
        this.upstreams = upstreams;
        this.namesOf = namesOf;
        this.warn = warn;
    }

    @Override
    public synchronized void changed(NetworkRecord network, Map<String, Endpoint> endpoints) {
        if (network.isDefault()) {
            return;
        }
        Served s = servers.get(network.id());
        if (s == null) {
            if (endpoints.isEmpty()) {
                return;
            }
            try {
                s = new Served(new InetSocketAddress(InetAddress.getByName(network.gateway()), 53), upstreams.get());
            } catch (UnknownHostException | GantryException e) {
                warn.accept("DNS server of network " + network.name() + " on " + network.gateway() + ":53: " + e.getMessage());
                return;
            }
            servers.put(network.id(), s);
        }
        Map<String, List<InetAddress>> forward = new HashMap<>();
        Map<InetAddress, String> reverse = new HashMap<>();
        for (var e : endpoints.entrySet()) {
            if (e.getValue().address().isEmpty()) {
                continue;
            }
            InetAddress a;
            try {
                a = InetAddress.getByName(e.getValue().address());
            } catch (UnknownHostException ex) {
                continue;
            }
            List<String> names = namesOf.apply(e.getKey() + "/" + network.id());
            for (String n : names) {
                String key = n.toLowerCase(Locale.ROOT);
                forward.merge(key, List.of(a), (x, y) -> x.contains(a) ? x : java.util.stream.Stream.concat(x.stream(), y.stream()).toList());
                // The network-qualified name too, as Docker answers name.network.
                forward.merge(key + "." + network.name().toLowerCase(Locale.ROOT), List.of(a), (x, y) -> x);
            }
            if (!names.isEmpty()) {
                reverse.put(a, names.getFirst() + "." + network.name());
            }
        }
        s.forward = Map.copyOf(forward);
        s.reverse = Map.copyOf(reverse);
    }

    @Override
    public synchronized void removed(NetworkRecord network) {
        Served s = servers.remove(network.id());
        if (s != null) {
            s.server.close();
        }
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(s -> s.server.close());
        servers.clear();
    }
}
