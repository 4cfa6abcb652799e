package dev.gantry.oci.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs (config.md, "Layer ChainID"): the identity of a stack of layers, so that a layer
 * unpacked on the same parents is unpacked once. ChainID(L0) = DiffID(L0);
 * ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln)).
 */
public final class ChainId {
    private ChainId() {
    }

    /** The chain ID of each prefix of {@code diffIds}, in order. */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diff : diffIds) {
            previous = previous == null ? diff : Digest.sha256(previous + " " + diff);
            out.add(previous);
        }
        return out;
    }
}
