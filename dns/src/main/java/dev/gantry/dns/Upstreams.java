package dev.gantry.dns;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The resolvers the host itself uses, read from its resolv.conf (resolv.conf(5)). */
public final class Upstreams {
    static final int DNS_PORT = 53;

    private Upstreams() {
    }

    /**
     * The {@code nameserver} lines of {@code resolvConf}, in order, without duplicates, on port 53.
     * Only IP literals count (resolv.conf takes no host names); malformed lines and comments
     * ({@code #} or {@code ;}) are skipped. A missing file or one without nameservers gives an
     * empty list.
     *
     * @throws GantryException UNAVAILABLE when the file exists but cannot be read
     */
    public static List<InetSocketAddress> fromResolvConf(Path resolvConf) {
        List<String> lines;
        try {
            lines = Files.readAllLines(resolvConf, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "cannot read " + resolvConf + ": " + e.getMessage(), e);
        }
        Set<InetSocketAddress> servers = new LinkedHashSet<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver") && !words[1].startsWith("#") && !words[1].startsWith(";")) {
                literal(words[1]).ifPresent(address -> servers.add(new InetSocketAddress(address, DNS_PORT)));
            }
        }
        return List.copyOf(servers);
    }

    /**
     * An IP literal, never a DNS lookup (a host name here is malformed). glibc accepts a zone
     * on link-local IPv6 servers ({@code fe80::1%eth0}), which {@code ofLiteral} does not.
     */
    private static Optional<InetAddress> literal(String text) {
        int percent = text.indexOf('%');
        try {
            if (percent < 0) {
                return Optional.of(InetAddress.ofLiteral(text));
            }
            byte[] bytes = Inet6Address.ofLiteral(text.substring(0, percent)).getAddress();
            String zone = text.substring(percent + 1);
            if (!zone.isEmpty() && zone.chars().allMatch(Character::isDigit) && zone.length() < 10) {
                return Optional.of(Inet6Address.getByAddress(null, bytes, Integer.parseInt(zone)));
            }
            NetworkInterface device = NetworkInterface.getByName(zone);
            return device == null ? Optional.empty() : Optional.of(Inet6Address.getByAddress(null, bytes, device));
        } catch (IllegalArgumentException | IOException notAnAddress) {
            return Optional.empty();
        }
    }
}
