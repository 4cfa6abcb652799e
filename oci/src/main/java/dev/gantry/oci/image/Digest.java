package dev.gantry.oci.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gantry.base.GantryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A content digest, {@code <algorithm>:<hex>}, as the OCI image spec defines it
 * (descriptor.md, "Digests"). Only registered algorithms with a value of the right length in
 * lowercase hex are accepted, so a {@code Digest} can be used as a file name without further
 * checks.
 */
public final class Digest implements Comparable<Digest> {
    private final DigestAlgorithm algorithm;
    private final String hex;

    private Digest(DigestAlgorithm algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
    @JsonCreator
    public static Digest parse(String text) {
        if (text == null) {
            throw GantryException.invalid("digest: missing");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw GantryException.invalid("digest '" + text + "': expected <algorithm>:<hex>");
        }
        DigestAlgorithm algorithm = DigestAlgorithm.byId(text.substring(0, colon));
        if (algorithm == null) {
            throw GantryException.invalid("digest '" + text + "': unsupported algorithm");
        }
        return of(algorithm, text.substring(colon + 1));
    }

    /** A digest from its parts; the hex must be lowercase and of the algorithm's length. */
    public static Digest of(DigestAlgorithm algorithm, String hex) {
        if (hex.length() != algorithm.hexLength()) {
            throw GantryException.invalid("digest " + algorithm.id() + ":" + hex + ": expected "
                    + algorithm.hexLength() + " hex characters");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw GantryException.invalid("digest " + algorithm.id() + ":" + hex + ": not lowercase hex");
            }
        }
        return new Digest(algorithm, hex);
    }

    /** The digest of a finished hasher. */
    public static Digest of(DigestAlgorithm algorithm, MessageDigest finished) {
        return new Digest(algorithm, HexFormat.of().formatHex(finished.digest()));
    }

    /** The sha256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        MessageDigest md = DigestAlgorithm.SHA256.newHasher();
        md.update(bytes);
        return of(DigestAlgorithm.SHA256, md);
    }

    /** The sha256 digest of the UTF-8 bytes of {@code text}. */
    public static Digest sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    /** The encoded value after the colon. */
    public String hex() {
        return hex;
    }

    /** A fresh hasher of this digest's algorithm, for verifying content against it. */
    public MessageDigest newHasher() {
        return algorithm.newHasher();
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm.id() + ":" + hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && d.hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + hex.hashCode();
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }
}
