package dev.gantry.network;

import java.util.Optional;

/**
 * What the runtime stored about one attachment: the configuration list it was added with,
 * its parameters, and the final ADD result. The result is empty while ADD is under way or
 * when ADD failed part-way, which is exactly when a later DEL must still run.
 */
public record CachedAttachment(NetworkConfigList config, Attachment attachment, Optional<Result> result) {
    public AttachmentId id() {
        return new AttachmentId(attachment.containerId(), attachment.ifName());
    }
}
