package dev.gantry.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A multi-platform index (image-index.md) or a Docker manifest list, by media type. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageIndex(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("artifactType") String artifactType,
        @JsonProperty("manifests") List<Descriptor> manifests,
        @JsonProperty("subject") Descriptor subject,
        @JsonProperty("annotations") Map<String, String> annotations) implements ManifestDocument {

    public ImageIndex {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        if (annotations != null) {
            annotations = Map.copyOf(annotations);
        }
    }

    /** A new OCI index listing {@code manifests}. */
    public static ImageIndex of(List<Descriptor> manifests) {
        return new ImageIndex(2, MediaType.OCI_INDEX, null, manifests, null, null);
    }

    /** The first image manifest whose platform matches {@code wanted}. */
    public Optional<Descriptor> select(Platform wanted) {
        return manifests.stream()
                .filter(d -> MediaType.isManifest(d.mediaType()) || d.mediaType() == null)
                .filter(d -> wanted.matches(d.platform()))
                .findFirst();
    }

    ImageIndex withMediaType(String type) {
        return new ImageIndex(schemaVersion, type, artifactType, manifests, subject, annotations);
    }
}
