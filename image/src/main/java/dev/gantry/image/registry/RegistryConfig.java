package dev.gantry.image.registry;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How registries are reached. {@code insecureRegistries} (host or host:port) and every host on
 * 127.0.0.0/8 or ::1 are spoken to over plain HTTP, Docker's rule for loopback and
 * {@code --insecure-registry}; everything else over HTTPS. {@code mirrors} maps a registry host
 * to mirror base URLs tried, in order, before the registry itself for pulls.
 */
public record RegistryConfig(Set<String> insecureRegistries, Map<String, List<URI>> mirrors, int maxAttempts,
                             Duration initialBackoff, int concurrentDownloads) {

    public static final RegistryConfig DEFAULT = new RegistryConfig(Set.of(), Map.of(), 4, Duration.ofMillis(200), 4);

    public RegistryConfig {
        insecureRegistries = Set.copyOf(insecureRegistries);
        mirrors = Map.copyOf(mirrors);
    }

    public RegistryConfig withInsecure(Set<String> hosts) {
        return new RegistryConfig(hosts, mirrors, maxAttempts, initialBackoff, concurrentDownloads);
    }

    public RegistryConfig withMirrors(Map<String, List<URI>> m) {
        return new RegistryConfig(insecureRegistries, m, maxAttempts, initialBackoff, concurrentDownloads);
    }

    /** The base URL ({@code scheme://host[:port]}) of the registry named {@code domain}. */
    public URI endpoint(String domain) {
        String host = domain.equals("docker.io") ? "registry-1.docker.io" : domain;
        return URI.create((isInsecure(domain) ? "http://" : "https://") + host);
    }

    /** Endpoints to try for pulls: mirrors first, then the registry. */
    public List<URI> pullEndpoints(String domain) {
        List<URI> m = mirrors.getOrDefault(domain, List.of());
        return m.isEmpty() ? List.of(endpoint(domain))
                : java.util.stream.Stream.concat(m.stream(), java.util.stream.Stream.of(endpoint(domain))).toList();
    }

    boolean isInsecure(String domain) {
        if (insecureRegistries.contains(domain)) {
            return true;
        }
        String host = domain;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.lastIndexOf(':'));
        }
        if (insecureRegistries.contains(host)) {
            return true;
        }
        if (host.equals("localhost")) {
            return true;
        }
        // Only literal addresses: a name is never resolved just to choose a scheme.
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
