package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a container's port requests into concrete published ports. The portmap plugin rewrites
 * packets and binds nothing, so a port a host process listens on would be silently taken over:
 * each host port is bound once here (and closed) to prove it free, and compared with the ports
 * other running containers publish, which no bind can see.
 */
final class PortAllocator {
    private PortAllocator() {}

    /**
     * The published ports: {@code requested}, then one per exposed port not requested when
     * {@code publishAll}; ports of 0 get a free ephemeral port.
     *
     * @throws GantryException CONFLICT naming the port when it is in use on the host or by another container
     */
    static List<PortMapping> resolve(List<PortMapping> requested, boolean publishAll, Set<String> exposed,
                                     Collection<PortMapping> takenByOthers) {
        List<PortMapping> wanted = new ArrayList<>(requested);
        if (publishAll) {
            Set<String> keys = new LinkedHashSet<>();
            requested.forEach(p -> keys.add(p.key()));
            exposed.stream().sorted().filter(k -> !keys.contains(normalise(k)))
                    .forEach(k -> wanted.add(PortMapping.ofKey(k, "", "0")));
        }
        List<PortMapping> out = new ArrayList<>();
        for (PortMapping p : wanted) {
            int port = p.hostPort();
            if (port == 0) {
                // A free port for the kernel may still be one another container publishes (nothing listens there).
                do {
                    port = freePort(p);
                } while (taken(port, p, takenByOthers) || taken(port, p, out));
            } else {
                int fixed = port;
                boolean taken = takenByOthers.stream().anyMatch(o -> o.hostPort() == fixed && o.protocol().equals(p.protocol())
                        && (o.hostIp().isEmpty() || p.hostIp().isEmpty() || o.hostIp().equals(p.hostIp())))
                        || out.stream().anyMatch(o -> o.hostPort() == fixed && o.protocol().equals(p.protocol()));
                if (taken) {
                    throw GantryException.conflict("port " + describe(p) + " is already published by another container");
                }
                probe(p, port);
            }
            out.add(new PortMapping(p.hostIp(), port, p.containerPort(), p.protocol()));
        }
        return out;
    }

    private static boolean taken(int port, PortMapping p, Collection<PortMapping> others) {
        return others.stream().anyMatch(o -> o.hostPort() == port && o.protocol().equals(p.protocol()));
    }

    private static String normalise(String key) {
        return key.contains("/") ? key : key + "/tcp";
    }

    private static String describe(PortMapping p) {
        return (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort() + "/" + p.protocol();
    }

    private static InetSocketAddress address(PortMapping p, int port) {
        return new InetSocketAddress(p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), port);
    }

    private static void probe(PortMapping p, int port) {
        try {
            if (p.protocol().equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(address(p, port));
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(address(p, port));
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.CONFLICT, "port " + describe(p) + " cannot be published: "
                    + "Bind for " + (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + port + " failed: port is already allocated ("
                    + e.getMessage() + ")");
        }
    }

    private static int freePort(PortMapping p) {
        try {
            if (p.protocol().equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(address(p, 0));
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(address(p, 0));
                return s.getLocalPort();
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "no free host port for " + p.key() + ": " + e.getMessage());
        }
    }
}
