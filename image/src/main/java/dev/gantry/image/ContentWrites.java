package dev.gantry.image;

import dev.gantry.content.Ingester;
import dev.gantry.content.Lease;
import dev.gantry.content.Manager;
import dev.gantry.content.Writer;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;

/** Small writes into the content store shared by import, commit and load. */
final class ContentWrites {
    private ContentWrites() {
    }

    /**
     * Stores a small document (config, manifest) Gantry wrote, on {@code lease} first so a
     * collection cannot take it; a private ref, since nothing needs to resume it.
     */
    static <S extends Ingester & Manager> Descriptor putDocument(S content, String mediaType, byte[] bytes, Lease lease) {
        Digest d = Digest.sha256(bytes);
        Descriptor desc = Descriptor.of(mediaType, d, bytes.length);
        lease.add(desc);
        if (content.info(d).isEmpty()) {
            try (Writer w = content.writer("doc-" + UUID.randomUUID(), bytes.length, d)) {
                w.write(bytes, 0, bytes.length);
                w.commit(bytes.length, d);
            }
        }
        return desc;
    }

    /** A view of {@code out} whose close only flushes: finishing a gzip stream must not close the writer under it. */
    static OutputStream keepOpen(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
