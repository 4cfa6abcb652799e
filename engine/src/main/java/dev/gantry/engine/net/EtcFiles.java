package dev.gantry.engine.net;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The contents of a container's /etc/hosts and /etc/resolv.conf. The files are written in place
 * (same inode): the container already has them bind-mounted when its address becomes known.
 */
final class EtcFiles {
    static final String LOCALHOST = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    private EtcFiles() {}

    /** The host's resolver settings, split by keyword. */
    record Resolv(List<String> nameservers, List<String> search, List<String> options) {
        static Resolv parse(String text) {
            List<String> ns = new ArrayList<>();
            List<String> search = new ArrayList<>();
            List<String> options = new ArrayList<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                switch (f[0]) {
                    case "nameserver" -> ns.add(f[1]);
                    case "search", "domain" -> {
                        search.clear();
                        search.addAll(List.of(f).subList(1, f.length));
                    }
                    case "options" -> options.addAll(List.of(f).subList(1, f.length));
                    default -> { }
                }
            }
            return new Resolv(ns, search, options);
        }

        static Resolv read(Path file) {
            try {
                return parse(Files.readString(file));
            } catch (IOException e) {
                return new Resolv(List.of(), List.of(), List.of());
            }
        }

        /** Without loopback name servers: the host's own, unreachable from a container's namespace. */
        Resolv withoutLoopback() {
            return new Resolv(nameservers.stream().filter(n -> !n.startsWith("127.") && !n.equals("::1")).toList(), search,
                    options);
        }
    }

    static String resolvConf(List<String> nameservers, List<String> search, List<String> options) {
        StringBuilder b = new StringBuilder();
        nameservers.forEach(n -> b.append("nameserver ").append(n).append('\n'));
        if (!search.isEmpty()) {
            b.append("search ").append(String.join(" ", search)).append('\n');
        }
        if (!options.isEmpty()) {
            b.append("options ").append(String.join(" ", options)).append('\n');
        }
        return b.toString();
    }

    /**
     * /etc/hosts: localhost, the container's own addresses under its hostname, then the extra
     * {@code name:address} entries ({@code host-gateway} is replaced by {@code hostGateway}).
     */
    static String hosts(String base, List<String> ownAddresses, String hostname, List<String> extraHosts, String hostGateway) {
        StringBuilder b = new StringBuilder(base);
        for (String a : ownAddresses) {
            b.append(a).append('\t').append(hostname).append('\n');
        }
        for (String e : extraHosts) {
            ExtraHost h = ExtraHost.parse(e);
            String address = h.address().equals("host-gateway") ? hostGateway : h.address();
            if (address == null) {
                throw GantryException.invalid("ExtraHosts: '" + e + "': host-gateway needs a network with a gateway");
            }
            b.append(address).append('\t').append(h.name()).append('\n');
        }
        return b.toString();
    }

    /** One {@code --add-host} entry. */
    record ExtraHost(String name, String address) {
        static ExtraHost parse(String entry) {
            int i = entry.indexOf(':');
            if (i <= 0 || i == entry.length() - 1) {
                throw GantryException.invalid("ExtraHosts: '" + entry + "' is not name:address");
            }
            String address = entry.substring(i + 1);
            if (!address.equals("host-gateway") && !Ipv4.isAddress(address) && !address.contains(":")) {
                throw GantryException.invalid("ExtraHosts: '" + entry + "': '" + address + "' is not an IP address or host-gateway");
            }
            return new ExtraHost(entry.substring(0, i), address);
        }
    }

    /**
     * Writes the container's /etc/hosts and /etc/resolv.conf for its mode. {@code host}: the
     * host's files, rewritten only for {@code --add-host}/{@code --dns*}; {@code container:}:
     * nothing (the other container's files are used); {@code none}: only for those options;
     * a network: its gateway as name server on a user network, the host's resolvers without
     * loopback ones on the default bridge, and the container's addresses under its hostname.
     *
     * @param primary     the mode's network, null for host and none
     * @param hostGateway the address {@code host-gateway} stands for when there is no primary network
     */
    static void writeFor(ContainerNet c, NetworkRecord primary, String hostGateway, Path hostResolvConf, Path etcDir,
                         List<Endpoint> endpoints) {
        boolean hostMode = c.mode().equals("host");
        boolean options = !c.options().extraHosts().isEmpty() || !c.options().dns().isEmpty()
                || !c.options().dnsSearch().isEmpty() || !c.options().dnsOptions().isEmpty();
        if (c.joinsAnother() || (hostMode || c.mode().equals("none")) && !options) {
            return;
        }
        Resolv host = Resolv.read(hostResolvConf);
        if (!hostMode) {
            host = host.withoutLoopback();
        }
        List<String> nameservers = !c.options().dns().isEmpty() ? c.options().dns()
                : primary != null && !primary.isDefault() ? List.of(primary.gateway()) : host.nameservers();
        write(etcDir.resolve("resolv.conf"), resolvConf(nameservers,
                c.options().dnsSearch().isEmpty() ? host.search() : c.options().dnsSearch(),
                c.options().dnsOptions().isEmpty() ? host.options() : c.options().dnsOptions()));
        String base = LOCALHOST;
        if (hostMode) {
            try {
                base = Files.readString(Path.of("/etc/hosts"));
            } catch (IOException e) {
                base = LOCALHOST;
            }
        }
        write(etcDir.resolve("hosts"), hosts(base, endpoints.stream().map(Endpoint::address).filter(a -> !a.isEmpty()).toList(),
                c.hostname(), c.options().extraHosts(), primary != null ? primary.gateway() : hostGateway));
    }

    /**
     * Rewrites {@code file} in place, keeping the inode a bind mount refers to: nothing when it
     * already holds {@code content}, else written over from the start and cut to its new length.
     * Not truncated to zero first: ext4 (auto_da_alloc, ext4(5)) flushes a file that was
     * truncated to zero when it is closed, a millisecond here on every start.
     */
    static void write(Path file, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            if (Files.exists(file) && Files.size(file) == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes)) {
                return;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf, buf.position());
                }
                ch.truncate(bytes.length);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "writing " + file + ": " + e.getMessage(), e);
        }
    }
}
