package dev.gantry.snapshot;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.util.UUID;

/**
 * Unpacks image layers into committed snapshots named by chain ID: prepare an extraction
 * snapshot, apply the layer into its layer dir while hashing the uncompressed stream, check
 * the hash against the config's diff ID, commit it on its parent chain. Any failure removes
 * the extraction snapshot, so a refused or broken layer leaves no snapshot behind.
 */
public final class LayerUnpacker {
    private final OverlaySnapshotter snapshotter;
    private final LayerApplier applier;
    private final UnpackLimits limits;

    public LayerUnpacker(OverlaySnapshotter snapshotter, LayerApplier applier, UnpackLimits limits) {
        this.snapshotter = snapshotter;
        this.applier = applier;
        this.limits = limits;
    }

    /** The outcome: the chain ID now committed and the uncompressed size of the layer. */
    public record Unpacked(Digest chainId, long uncompressedSize) {
    }

    /** Whether the layer stack {@code chainId} is already unpacked. */
    public boolean isUnpacked(Digest chainId) {
        return snapshotter.exists(chainId.toString());
    }

    /**
     * Unpacks {@code blob} (compressed or not) on top of {@code parent} (null for a base
     * layer). A concurrent unpack of the same chain ID that commits first wins; this one then
     * discards its work and succeeds.
     */
    public Unpacked unpack(Digest parent, Digest chainId, Digest diffId, InputStream blob) {
        Extracted e = extract(diffId, blob);
        commit(e, parent, chainId);
        return new Unpacked(chainId, e.uncompressedSize());
    }

    /** A layer applied into an active snapshot of its own, not yet committed. */
    public record Extracted(String key, Digest diffId, long uncompressedSize) {
    }

    /**
     * Applies a layer into a fresh parentless snapshot, verifying its diff ID. A layer applied
     * to an empty upper dir does not depend on the layers below it, so several layers of one
     * image can be extracted at once and committed in order afterwards.
     */
    public Extracted extract(Digest diffId, InputStream blob) {
        String key = "extract-" + UUID.randomUUID() + "-" + diffId.hex();
        snapshotter.prepare(key, null);
        boolean ok = false;
        try {
            DigestInputStream hashed = new DigestInputStream(LayerStreams.uncompressed(blob, limits), diffId.newHasher());
            LayerStreams.Counting counted = new LayerStreams.Counting(hashed);
            applier.apply(counted, snapshotter.layerDir(key));
            // The diff ID covers the whole uncompressed stream, end-of-archive padding included.
            counted.transferTo(OutputStream.nullOutputStream());
            Digest actual = Digest.of(diffId.algorithm(), hashed.getMessageDigest());
            if (!actual.equals(diffId)) {
                throw GantryException.invalid("layer " + diffId + ": uncompressed digest " + actual + " does not match diff ID " + diffId);
            }
            ok = true;
            return new Extracted(key, diffId, counted.count);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "layer " + diffId + ": " + e.getMessage(), e);
        } finally {
            if (!ok) {
                snapshotter.remove(key);
            }
        }
    }

    /**
     * Commits an extracted layer as {@code chainId} on {@code parent}. If another unpack
     * committed the same chain ID first, this extraction is discarded instead.
     */
    public void commit(Extracted e, Digest parent, Digest chainId) {
        try {
            snapshotter.commitLayer(chainId.toString(), e.key(), parent == null ? null : parent.toString());
        } catch (GantryException ex) {
            snapshotter.remove(e.key());
            if (ex.kind() != ErrorKind.ALREADY_EXISTS) {
                throw ex;
            }
        }
    }

    /** Drops an extraction that will not be committed. */
    public void discard(Extracted e) {
        if (snapshotter.exists(e.key())) {
            snapshotter.remove(e.key());
        }
    }
}
