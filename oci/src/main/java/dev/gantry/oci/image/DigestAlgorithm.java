package dev.gantry.oci.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest algorithms the OCI image spec registers: sha256 (the default) and sha512. */
public enum DigestAlgorithm {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private final String id;
    private final String jcaName;
    private final int hexLength;

    DigestAlgorithm(String id, String jcaName, int hexLength) {
        this.id = id;
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    /** The algorithm's name as it appears before the colon of a digest string. */
    public String id() {
        return id;
    }

    /** Length of the hex-encoded value, which the spec fixes for the registered algorithms. */
    public int hexLength() {
        return hexLength;
    }

    /** A fresh hasher for this algorithm. */
    public MessageDigest newHasher() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + jcaName, e);
        }
    }

    /** The algorithm named {@code id}, or null when the spec does not register it. */
    static DigestAlgorithm byId(String id) {
        for (DigestAlgorithm a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        return null;
    }
}
