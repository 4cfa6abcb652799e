/**
 * The daemon's embedded DNS server for user-defined networks, as docker's: containers on one
 * network resolve each other's names and aliases, and every other query goes to the host's
 * resolvers.
 *
 * <p>The public surface is three types. {@link dev.gantry.dns.NameTable} is what the engine
 * provides (the network's names and addresses), {@link dev.gantry.dns.DnsServer} serves it on
 * one address over UDP and TCP, and {@link dev.gantry.dns.Upstreams} reads the host's resolvers
 * from resolv.conf. Everything else (the RFC 1035 codec, the forwarder) is package-private: no
 * DNS library is used, so the wire format lives in {@code WireReader}, {@code WireWriter} and
 * {@code DnsCodec}, which treat every byte received as hostile.
 */
package dev.gantry.dns;
