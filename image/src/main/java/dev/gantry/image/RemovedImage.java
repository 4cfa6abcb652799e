package dev.gantry.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code DELETE /images/{name}}: a name removed, or an image deleted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemovedImage(@JsonProperty("Untagged") String untagged, @JsonProperty("Deleted") String deleted) {
}
