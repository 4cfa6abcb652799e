package dev.gantry.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.base.GantryException;
import java.util.List;
import java.util.Map;

/** A single-platform image manifest (manifest.md), OCI or Docker schema 2 by media type. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageManifest(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("artifactType") String artifactType,
        @JsonProperty("config") Descriptor config,
        @JsonProperty("layers") List<Descriptor> layers,
        @JsonProperty("subject") Descriptor subject,
        @JsonProperty("annotations") Map<String, String> annotations) implements ManifestDocument {

    public ImageManifest {
        if (config == null) {
            throw GantryException.invalid("manifest.config: missing");
        }
        layers = layers == null ? List.of() : List.copyOf(layers);
        if (annotations != null) {
            annotations = Map.copyOf(annotations);
        }
    }

    /** A new manifest of {@code mediaType} (schema version 2). */
    public static ImageManifest of(String mediaType, Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, mediaType, null, config, layers, null, null);
    }

    ImageManifest withMediaType(String type) {
        return new ImageManifest(schemaVersion, type, artifactType, config, layers, subject, annotations);
    }
}
