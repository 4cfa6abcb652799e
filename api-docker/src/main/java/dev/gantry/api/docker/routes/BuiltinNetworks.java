package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.Request;
import dev.gantry.api.docker.http.Router;
import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.Network;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /networks} until Gantry has its own networking: the three networks every Docker
 * host has — {@code bridge}, {@code host} (the host's stack) and {@code none} (loopback
 * only) — listed and inspected; creating, removing or connecting networks is refused with a
 * message that says why. Ids are stable (derived from the name) so they survive restarts.
 */
public final class BuiltinNetworks {
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "driver", "id", "label", "name", "scope", "type");

    private final List<Network> networks;

    public BuiltinNetworks(Instant created) {
        String at = created.toString();
        this.networks = List.of(
                network("bridge", "bridge", at, Map.of("com.docker.network.bridge.default_bridge", "true",
                        "com.docker.network.bridge.name", "docker0")),
                network("host", "host", at, Map.of()),
                network("none", "null", at, Map.of()));
    }

    private static Network network(String name, String driver, String created, Map<String, String> options) {
        return new Network(name, id(name), created, "local", driver, false, new Network.Ipam("default", List.of(), Map.of()), false,
                false, false, false, Map.of(), options, Map.of());
    }

    static String id(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("gantry-network:" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public void register(Router router) {
        router.get("/networks", r -> Reply.json(list(r.filters().requireOnly(LIST_FILTERS))));
        router.post("/networks/create", r -> {
            throw new GantryException(ErrorKind.UNAVAILABLE,
                    "cannot create networks: this daemon has only the built-in networks bridge, host and none");
        });
        router.post("/networks/prune", r -> Reply.json(Map.of("NetworksDeleted", List.of())));
        router.get("/networks/{id}", r -> Reply.json(find(r.param("id"))));
        router.delete("/networks/{id}", r -> {
            Network n = find(r.param("id"));
            throw new GantryException(ErrorKind.PERMISSION_DENIED, n.name() + " is a pre-defined network and cannot be removed");
        });
        router.post("/networks/{id}/connect", r -> refuseAttachment(r, "connect"));
        router.post("/networks/{id}/disconnect", r -> refuseAttachment(r, "disconnect"));
    }

    private Reply refuseAttachment(Request r, String verb) {
        Network n = find(r.param("id"));
        throw new GantryException(ErrorKind.UNAVAILABLE, "cannot " + verb + " containers at run time: network " + n.name()
                + " is chosen when the container is created (HostConfig.NetworkMode)");
    }

    List<Network> list(Filters filters) {
        return networks.stream()
                .filter(n -> filters.matches("driver", n.driver()) && filters.matches("scope", n.scope())
                        && filters.matches("type", "builtin") && filters.matchesLabels("label", n.labels())
                        && (!filters.has("name") || filters.get("name").stream().anyMatch(v -> n.name().contains(v)))
                        && (!filters.has("id") || filters.get("id").stream().anyMatch(v -> n.id().startsWith(v)))
                        && (!filters.has("dangling") || filters.get("dangling").contains("false")))
                .toList();
    }

    /** By exact name, full id, or unique id prefix, as Docker resolves networks. */
    Network find(String ref) {
        for (Network n : networks) {
            if (n.name().equals(ref) || n.id().equals(ref)) {
                return n;
            }
        }
        List<Network> byPrefix = networks.stream().filter(n -> n.id().startsWith(ref)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.getFirst();
        }
        throw GantryException.notFound("network " + ref + " not found");
    }
}
