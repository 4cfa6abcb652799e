package dev.gantry.nativehelper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The static C helper built by this module's Maven build, as carried in the jar. */
public final class HelperResource {
    private static final String NAME = "gantry-helper";

    private HelperResource() {}

    /** The helper executable's bytes. */
    public static byte[] bytes() {
        try (InputStream in = HelperResource.class.getResourceAsStream(NAME)) {
            if (in == null) {
                throw new IllegalStateException("the gantry-native jar has no " + NAME + ": rebuild with ./mvnw install");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + NAME, e);
        }
    }
}
