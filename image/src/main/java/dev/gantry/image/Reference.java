package dev.gantry.image;

import dev.gantry.base.GantryException;
import dev.gantry.oci.image.Digest;
import java.util.regex.Pattern;

/**
 * An image reference as Docker reads it: {@code [domain/]path[:tag][@digest]}. A name without a
 * domain is on {@code docker.io}, a single-component Docker Hub name is under {@code library/},
 * and a reference with neither tag nor digest means {@code :latest}. The first component is a
 * domain when it contains '.' or ':' or is {@code localhost}.
 */
public record Reference(String domain, String path, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?|\\[[0-9a-fA-F:]+\\](?::[0-9]+)?");

    public static Reference parse(String text) {
        if (text == null || text.isEmpty()) {
            throw GantryException.invalid("image reference: empty");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw GantryException.invalid("image reference '" + text + "': invalid tag '" + tag + "'");
            }
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT)))) {
            domain = first;
            path = rest.substring(slash + 1);
            if (!DOMAIN.matcher(domain).matches()) {
                throw GantryException.invalid("image reference '" + text + "': invalid registry '" + domain + "'");
            }
        } else {
            domain = DOCKER_HUB;
            path = rest;
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (path.isEmpty() || path.length() > 255) {
            throw GantryException.invalid("image reference '" + text + "': repository name must be 1 to 255 characters");
        }
        for (String comp : path.split("/", -1)) {
            if (!COMPONENT.matcher(comp).matches()) {
                throw GantryException.invalid("image reference '" + text + "': invalid repository name component '"
                        + comp + "' (lowercase letters, digits and separators)");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new Reference(domain, path, tag, digest);
    }

    /** {@code domain/path}, the repository's full name. */
    public String repository() {
        return domain + "/" + path;
    }

    /** The tag, or else the digest, as the registry's {@code <reference>} path parameter. */
    public String tagOrDigest() {
        return digest != null ? digest.toString() : tag;
    }

    /** This repository with another tag (no digest). */
    public Reference withTag(String newTag) {
        return new Reference(domain, path, newTag, null);
    }

    /** This repository pinned to {@code d} (no tag). */
    public Reference withDigest(Digest d) {
        return new Reference(domain, path, null, d);
    }

    /** The short form Docker prints: no {@code docker.io/} and no {@code library/}. */
    public String familiar() {
        String name = repository();
        if (domain.equals(DOCKER_HUB)) {
            name = path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        }
        return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** Familiar name of the repository only. */
    public String familiarRepository() {
        return withTag(null).familiar();
    }

    @Override
    public String toString() {
        return repository() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
