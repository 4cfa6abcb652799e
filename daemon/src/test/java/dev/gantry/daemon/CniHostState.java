package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Everything CNI plugins change in one network namespace, read whole: the {@code nat} and
 * {@code filter} tables as {@code iptables-save} prints them (comments and counters dropped,
 * chain names and policies kept), the links ({@code ip -o link}), and the files under
 * host-local's IPAM directory. {@link #leftSince} compares a later reading with an earlier one
 * and names every difference except those docs/networking.md ("What stays") says the daemon
 * keeps.
 */
record CniHostState(List<String> nat, List<String> filter, List<String> links, List<String> ipamFiles) {
    /** Chains the portmap and firewall plugins create once and share with every CNI runtime on the host; no DEL removes them. */
    private static final Set<String> SHARED_CHAINS = Set.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK",
            "CNI-FORWARD", "CNI-ADMIN");
    private static final Set<String> BUILTIN_CHAINS = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");

    static CniHostState read(String netns, Path ipamRoot) throws Exception {
        return new CniHostState(table(netns, "nat"), table(netns, "filter"), links(netns), files(ipamRoot));
    }

    private static List<String> inNetns(String netns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns));
        full.addAll(Arrays.asList(cmd));
        GantrydNetworkTest.Out o = GantrydNetworkTest.sh(full.toArray(String[]::new));
        assertThat(o.exitCode()).as(String.join(" ", full) + ": " + o.stdout()).isZero();
        return o.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> table(String netns, String table) throws Exception {
        return inNetns(netns, "iptables-save", "-t", table).stream()
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.startsWith(":") ? l.replaceFirst(" \\[\\d+:\\d+\\]$", "") : l)
                .toList();
    }

    private static List<String> links(String netns) throws Exception {
        return inNetns(netns, "ip", "-o", "link").stream().map(l -> l.split(":")[1].trim().replaceFirst("@.*$", "")).sorted().toList();
    }

    private static List<String> files(Path root) throws Exception {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /**
     * What this reading has that {@code before} had not, or lacks that it had, except what the
     * daemon keeps: its default network's bridge {@code keptBridge}, the shared CNI chains with
     * their jumps from the built-in chains and their fixed rules, the table headers a first rule
     * brings, and host-local's {@code lock} and {@code last_reserved_ip} files of a network that
     * still exists. A lease (a file named by an address), a container's chain (even an empty
     * one), a rule naming an address or a leftover veth is always a difference.
     */
    List<String> leftSince(CniHostState before, String keptBridge, Set<String> liveIpamDirs) {
        List<String> out = new ArrayList<>();
        compare("nat", before.nat, nat, out);
        compare("filter", before.filter, filter, out);
        for (String l : links) {
            if (!before.links.contains(l) && !l.equals(keptBridge)) {
                out.add("link added: " + l);
            }
        }
        for (String l : before.links) {
            if (!links.contains(l)) {
                out.add("link gone: " + l);
            }
        }
        for (String f : ipamFiles) {
            if (before.ipamFiles.contains(f)) {
                continue;
            }
            Path p = Path.of(f);
            String name = p.getFileName().toString();
            boolean bookkeeping = name.equals("lock") || name.startsWith("last_reserved_ip.");
            if (!bookkeeping || p.getNameCount() != 2 || !liveIpamDirs.contains(p.getName(0).toString())) {
                out.add("IPAM file added: " + f);
            }
        }
        return out;
    }

    private static void compare(String table, List<String> before, List<String> after, List<String> out) {
        for (String l : after) {
            if (!before.contains(l) && !kept(l)) {
                out.add(table + " added: " + l);
            }
        }
        for (String l : before) {
            if (!after.contains(l)) {
                out.add(table + " gone: " + l);
            }
        }
    }

    private static boolean kept(String line) {
        if (line.startsWith("*") || line.equals("COMMIT")) {
            return true;
        }
        String[] w = line.split("\\s+");
        if (line.startsWith(":")) {
            String chain = w[0].substring(1);
            return SHARED_CHAINS.contains(chain) || BUILTIN_CHAINS.contains(chain) && w.length > 1 && w[1].equals("ACCEPT");
        }
        String chain = after(w, "-A");
        String target = after(w, "-j");
        boolean namesAnAddress = Arrays.asList(w).contains("-s") || Arrays.asList(w).contains("-d");
        if (namesAnAddress) {
            return false;
        }
        if (BUILTIN_CHAINS.contains(chain) && SHARED_CHAINS.contains(target)) {
            return true;
        }
        if (chain.equals("CNI-FORWARD")) {
            return target.equals("CNI-ADMIN");
        }
        // The two fixed rules: masquerade what portmap marked, and the mark itself.
        return chain.equals("CNI-HOSTPORT-MASQ") && target.equals("MASQUERADE")
                || chain.equals("CNI-HOSTPORT-SETMARK") && target.equals("MARK");
    }

    private static String after(String[] words, String flag) {
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals(flag)) {
                return words[i + 1];
            }
        }
        return "";
    }
}
