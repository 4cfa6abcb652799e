package dev.gantry.network;

/** An attachment's identity on a network (SPEC.md section 3): the container and its interface name. */
public record AttachmentId(String containerId, String ifName) {
}
