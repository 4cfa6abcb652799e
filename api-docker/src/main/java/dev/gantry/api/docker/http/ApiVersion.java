package dev.gantry.api.docker.http;

import dev.gantry.base.GantryException;

/**
 * A Docker Engine API version such as {@code 1.47}: the number a client puts in front of
 * every path ({@code /v1.47/containers/json}) after negotiating it through {@code /_ping}.
 *
 * <p>{@link #MAX} is the version Gantry advertises. Its request and response shapes are
 * those of the swagger in {@code specs/docker-engine-api}; 1.47 (Docker 27) is chosen
 * because it is at or above what current clients pin (Testcontainers asks for 1.44) and
 * below 1.48, where image listing grows per-platform manifests that the image store does
 * not report. {@link #MIN} is Docker's own minimum, 1.24.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    public static final ApiVersion MIN = new ApiVersion(1, 24);
    public static final ApiVersion MAX = new ApiVersion(1, 47);

    /** Parses {@code "1.41"}; anything else is an INVALID_ARGUMENT naming the text. */
    public static ApiVersion parse(String text) {
        int dot = text.indexOf('.');
        try {
            if (dot <= 0 || dot == text.length() - 1) {
                throw new NumberFormatException();
            }
            int major = Integer.parseInt(text.substring(0, dot));
            int minor = Integer.parseInt(text.substring(dot + 1));
            if (major < 0 || minor < 0) {
                throw new NumberFormatException();
            }
            return new ApiVersion(major, minor);
        } catch (NumberFormatException e) {
            throw GantryException.invalid("invalid API version '" + text + "': expected MAJOR.MINOR");
        }
    }

    /**
     * Checks that a client-requested version lies in [MIN, MAX], with Docker's own wording
     * so that clients that fall back on this answer (docker-java) recognise it.
     */
    public ApiVersion requireSupported() {
        if (compareTo(MAX) > 0) {
            throw GantryException.invalid("client version " + this + " is too new. Maximum supported API version is " + MAX);
        }
        if (compareTo(MIN) < 0) {
            throw GantryException.invalid("client version " + this + " is too old. Minimum supported API version is " + MIN
                    + ", please upgrade your client to a newer version");
        }
        return this;
    }

    public boolean atLeast(int major, int minor) {
        return compareTo(new ApiVersion(major, minor)) >= 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
