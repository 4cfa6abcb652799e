package dev.gantry.engine.net;

import dev.gantry.base.GantryException;
import java.util.Locale;

/**
 * A published port: traffic to {@code hostIp:hostPort} reaches the container's
 * {@code containerPort}. {@code hostIp} empty means every host address; a {@code hostPort} of 0
 * asks for a free port, chosen when the container starts.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public PortMapping {
        hostIp = hostIp == null ? "" : hostIp;
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw GantryException.invalid("port " + containerPort + "/" + protocol + ": protocol must be tcp or udp");
        }
        if (containerPort < 1 || containerPort > 65535) {
            throw GantryException.invalid("port " + containerPort + "/" + protocol + ": container port must be 1-65535");
        }
        if (hostPort < 0 || hostPort > 65535) {
            throw GantryException.invalid("port " + containerPort + "/" + protocol + ": host port " + hostPort + " must be 0-65535");
        }
        if (!hostIp.isEmpty() && !Ipv4.isAddress(hostIp)) {
            throw GantryException.invalid("port " + containerPort + "/" + protocol + ": host IP '" + hostIp + "' is not an IPv4 address");
        }
    }

    /** Parses Docker's port key, {@code 80}, {@code 80/tcp} or {@code 53/udp}, into its port and protocol. */
    public static PortMapping ofKey(String key, String hostIp, String hostPort) {
        String[] parts = key.split("/", 2);
        int port;
        try {
            port = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw GantryException.invalid("port '" + key + "': not a port number");
        }
        int host = 0;
        if (hostPort != null && !hostPort.isEmpty()) {
            try {
                host = Integer.parseInt(hostPort);
            } catch (NumberFormatException e) {
                throw GantryException.invalid("port '" + key + "': host port '" + hostPort + "' is not a number (ranges are not supported)");
            }
        }
        return new PortMapping(hostIp, host, port, parts.length > 1 ? parts[1] : "tcp");
    }

    /** Docker's key for the container side: {@code 80/tcp}. */
    public String key() {
        return containerPort + "/" + protocol;
    }
}
