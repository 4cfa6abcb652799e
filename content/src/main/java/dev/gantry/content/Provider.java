package dev.gantry.content;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

/**
 * Read access to committed content. A blob is visible here only after its digest and size were
 * verified; readers never see an ingest in progress.
 */
public interface Provider {

    /** A channel over the blob {@code digest}; NOT_FOUND when it is not committed. */
    SeekableByteChannel openChannel(Digest digest);

    /** A stream over the blob {@code digest}; NOT_FOUND when it is not committed. */
    default InputStream open(Digest digest) {
        return java.nio.channels.Channels.newInputStream(openChannel(digest));
    }

    /**
     * The whole blob in memory, for small documents (manifests, configs). Refuses blobs larger
     * than {@code limit} so that a hostile descriptor cannot make the caller buffer a layer.
     */
    default byte[] readAll(Digest digest, int limit) {
        try (SeekableByteChannel ch = openChannel(digest)) {
            if (ch.size() > limit) {
                throw new GantryException(ErrorKind.INVALID_ARGUMENT,
                        "blob " + digest + ": " + ch.size() + " bytes exceeds the " + limit + "-byte limit for documents");
            }
            try (InputStream in = java.nio.channels.Channels.newInputStream(ch)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "reading blob " + digest + ": " + e.getMessage(), e);
        }
    }
}
