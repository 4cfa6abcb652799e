package dev.gantry.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.base.GantryException;
import java.util.List;

/**
 * The platform a manifest runs on (image-index.md, "platform"). {@code parse} takes the
 * {@code os/arch[/variant]} form of {@code --platform}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Platform(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant) {

    /** linux/amd64, the default platform of this project. */
    public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", null, null, null);

    /** Parses {@code os/arch[/variant]}, e.g. {@code linux/arm64/v8}. */
    public static Platform parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw GantryException.invalid("platform '" + text + "': expected os/arch[/variant]");
        }
        return new Platform(parts[1], parts[0], null, null, parts.length == 3 ? parts[2] : null);
    }

    /**
     * Whether a manifest declared for {@code candidate} satisfies this wanted platform: os and
     * architecture equal, and the variant equal when this one names a variant.
     */
    public boolean matches(Platform candidate) {
        if (candidate == null) {
            return false;
        }
        return os.equals(candidate.os) && architecture.equals(candidate.architecture)
                && (variant == null || variant.equals(candidate.variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
