package dev.gantry.dns;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
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
                try {
                    // ofLiteral never consults DNS, unlike getByName: a name here is malformed.
                    servers.add(new InetSocketAddress(InetAddress.ofLiteral(words[1]), DNS_PORT));
                } catch (IllegalArgumentException notAnAddress) {
                    continue;
                }
            }
        }
        return List.copyOf(servers);
    }
}
