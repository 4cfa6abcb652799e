package dev.gantry.dns;

/** How a query reached the server; the forwarder asks the upstream the same way (as docker's resolver does). */
enum Transport {
    /** One datagram; answers larger than the client's payload size are cut and flagged TC. */
    UDP,
    /** RFC 7766: each message prefixed by its length in two bytes; no size limit below 65535. */
    TCP
}
