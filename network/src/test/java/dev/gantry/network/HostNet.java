package dev.gantry.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Shell helpers for the root tests: ip(8) and iptables(8), run as child processes. */
final class HostNet {
    private HostNet() {
    }

    record Run(int exit, String out) {
    }

    static Run run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, out);
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "interrupted");
        }
    }

    static String ok(String... command) {
        Run r = run(command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ": " + r.out());
        }
        return r.out();
    }

    /** A /24 in 10.255.0.0/16 that no route or address of the host overlaps. */
    static int freeSubnetOctet(java.util.Random random) {
        String routes = ok("ip", "-4", "route", "show", "table", "all") + ok("ip", "-4", "-o", "addr");
        List<long[]> taken = new ArrayList<>();
        for (String token : routes.split("\\s+")) {
            if (token.matches("\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?")) {
                String[] parts = token.split("/");
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
                taken.add(new long[] {address(parts[0]), prefix});
            }
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int octet = random.nextInt(256);
            long net = address("10.255." + octet + ".0");
            boolean clash = taken.stream().anyMatch(t -> {
                int prefix = (int) Math.min(t[1], 24);
                long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
                return (t[0] & mask) == (net & mask);
            });
            if (!clash) {
                return octet;
            }
        }
        throw new AssertionError("no free /24 in 10.255.0.0/16");
    }

    /** Splits an iptables -S line into arguments; comments come double-quoted. */
    static String[] words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(word.toString());
        }
        return out.toArray(String[]::new);
    }

    private static long address(String dotted) {
        long value = 0;
        for (String part : dotted.split("\\.")) {
            value = value << 8 | Integer.parseInt(part);
        }
        return value;
    }

    /** The chains of {@code table} per iptables-save's "-N" lines ({@code tool} is iptables or ip6tables). */
    static Set<String> chains(String tool, String table) {
        Set<String> names = new HashSet<>();
        run(tool, "-w", "-t", table, "-S").out().lines().filter(l -> l.startsWith("-N ")).forEach(l -> names.add(l.substring(3).trim()));
        return names;
    }

    /**
     * Removes the CNI chains that appeared since {@code before} was taken: first the rules that
     * jump to them, then their rules, then the chains (a referenced chain cannot be deleted).
     */
    static void removeNewCniChains(String tool, String table, Set<String> before) {
        Set<String> fresh = new HashSet<>(chains(tool, table));
        fresh.removeAll(before);
        fresh.removeIf(c -> !c.startsWith("CNI-"));
        if (fresh.isEmpty()) {
            return;
        }
        for (String rule : run(tool, "-w", "-t", table, "-S").out().lines().toList()) {
            String[] words = words(rule);
            if (words[0].equals("-A") && !fresh.contains(words[1]) && rule.contains("-j ") && fresh.contains(words[words.length - 1])) {
                List<String> delete = new ArrayList<>(List.of(tool, "-w", "-t", table, "-D"));
                delete.addAll(List.of(words).subList(1, words.length));
                run(delete.toArray(String[]::new));
            }
        }
        fresh.forEach(c -> run(tool, "-w", "-t", table, "-F", c));
        fresh.forEach(c -> run(tool, "-w", "-t", table, "-X", c));
    }
}
