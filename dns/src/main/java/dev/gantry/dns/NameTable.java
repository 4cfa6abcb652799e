package dev.gantry.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The names a {@link DnsServer} answers itself: the containers of one user-defined network,
 * their aliases, and the reverse mappings of their addresses.
 *
 * <p>Vocabulary. A <em>name</em> is the queried domain name exactly as the client sent it,
 * lowercased (ASCII only, RFC 4343) and without the trailing dot: a query for {@code Web.} asks
 * the table for {@code "web"}, a query for {@code web.example.com.} asks for
 * {@code "web.example.com"}. The server strips no search domain: a client whose resolv.conf has
 * a {@code search} line tries the plain name itself, and a table that wants to answer qualified
 * names lists them. Bytes that are not printable ASCII reach the table escaped as in a master
 * file ({@code \.}, {@code \\}, {@code \DDD}), so they never match a container name.
 *
 * <p>Implementations are called from many threads at once and must not block for long: they
 * answer from memory.
 */
public interface NameTable {

    /**
     * The addresses of {@code name}, IPv4 and IPv6 mixed in the order they should be answered;
     * an empty list when the name is not one of ours (the server then forwards the query to the
     * host's resolvers).
     */
    List<InetAddress> lookup(String name);

    /**
     * The name of one of our addresses, for PTR queries; empty when the address is not ours
     * (the query is then forwarded).
     */
    default Optional<String> reverse(InetAddress address) {
        return Optional.empty();
    }
}
