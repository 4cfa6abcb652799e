package dev.gantry.engine.net;

import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** IPv4 addresses and CIDR blocks as 32-bit values, and the host's routes as CIDR blocks. */
public final class Ipv4 {
    private static final Pattern ADDRESS = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private Ipv4() {}

    /** A CIDR block: {@code base} has no bits set below the prefix. */
    public record Cidr(long base, int prefix) {
        public static Cidr parse(String text, String field) {
            String[] parts = text.split("/", 2);
            if (parts.length != 2 || !isAddress(parts[0])) {
                throw GantryException.invalid(field + ": '" + text + "' is not an IPv4 CIDR block like 172.20.0.0/16");
            }
            int prefix;
            try {
                prefix = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 8 || prefix > 30) {
                throw GantryException.invalid(field + ": '" + text + "' needs a prefix length between 8 and 30");
            }
            long value = value(parts[0]);
            return new Cidr(value & mask(prefix), prefix);
        }

        public long size() {
            return 1L << (32 - prefix);
        }

        public long last() {
            return base + size() - 1;
        }

        public boolean contains(long address) {
            return address >= base && address <= last();
        }

        public boolean overlaps(Cidr o) {
            return base <= o.last() && o.base <= last();
        }

        /** The first address usable by a host (the network address is not). */
        public long firstHost() {
            return base + 1;
        }

        @Override
        public String toString() {
            return text(base) + "/" + prefix;
        }
    }

    public static boolean isAddress(String s) {
        var m = ADDRESS.matcher(s);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    /** INVALID_ARGUMENT naming {@code field} unless {@code address} is a host address of {@code subnet} (not its network or broadcast address). */
    static void requireHost(Cidr subnet, String address, String field) {
        if (!isAddress(address)) {
            throw GantryException.invalid(field + ": '" + address + "' is not an IPv4 address");
        }
        long v = value(address);
        if (!subnet.contains(v) || v == subnet.base() || v == subnet.last()) {
            throw GantryException.invalid(field + ": " + address + " is not a host address of the subnet " + subnet);
        }
    }

    public static long value(String address) {
        if (!isAddress(address)) {
            throw GantryException.invalid("'" + address + "' is not an IPv4 address");
        }
        long v = 0;
        for (String part : address.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }

    public static String text(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /**
     * The destinations of the host's IPv4 routes except the default route, from
     * {@code /proc/net/route} (little-endian hex destination and mask per line).
     */
    public static List<Cidr> hostRoutes(Path procNetRoute) {
        List<Cidr> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(procNetRoute);
        } catch (IOException e) {
            return out;
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            long dst = Long.reverseBytes(Long.parseLong(f[1], 16) << 32) & 0xFFFFFFFFL;
            long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32) & 0xFFFFFFFFL;
            int prefix = Long.bitCount(mask);
            if (prefix > 0) {
                out.add(new Cidr(dst & mask(prefix), prefix));
            }
        }
        return out;
    }

    /**
     * The subnet routed through interface {@code iface} (its connected route in
     * /proc/net/route: no gateway), if it has one.
     */
    public static java.util.Optional<Cidr> connectedRoute(Path procNetRoute, String iface) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procNetRoute);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[0].equals(iface) || Long.parseLong(f[2], 16) != 0) {
                continue;
            }
            long dst = Long.reverseBytes(Long.parseLong(f[1], 16) << 32) & 0xFFFFFFFFL;
            long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32) & 0xFFFFFFFFL;
            int prefix = Long.bitCount(mask);
            if (prefix > 0) {
                return java.util.Optional.of(new Cidr(dst & mask(prefix), prefix));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The first of Docker's default pools not overlapping {@code taken}: 172.17.0.0/16 …
     * 172.31.0.0/16, then 10.x.0.0/16 from 10.16.0.0 (10.0/12 is often a site's own).
     */
    public static Optional<Cidr> firstFree(Collection<Cidr> taken) {
        List<Cidr> candidates = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            candidates.add(new Cidr((172L << 24) | ((long) b << 16), 16));
        }
        for (int b = 16; b <= 255; b++) {
            candidates.add(new Cidr((10L << 24) | ((long) b << 16), 16));
        }
        return candidates.stream().filter(c -> taken.stream().noneMatch(c::overlaps)).findFirst();
    }
}
