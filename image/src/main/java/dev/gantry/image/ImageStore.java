package dev.gantry.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.content.RootSet;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Image names and the facts learned while unpacking, in one JSON file rewritten atomically:
 * name → {@link ImageRecord}, and diff ID → uncompressed size (needed to write docker-archive
 * tar headers without decompressing a layer twice). A {@link RootSet} for the garbage collector:
 * every named image's manifest is a root.
 */
public final class ImageStore implements RootSet {
    private final Path file;
    private final Map<String, ImageRecord> images = new TreeMap<>();
    private final Map<String, Long> layerSizes = new TreeMap<>();

    record Stored(@JsonProperty("images") Map<String, ImageRecord> images,
                  @JsonProperty("layerSizes") Map<String, Long> layerSizes) {
    }

    public ImageStore(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                Stored s = ImageJson.read(Files.readAllBytes(file), Stored.class, "image store " + file);
                if (s.images != null) {
                    images.putAll(s.images);
                }
                if (s.layerSizes != null) {
                    layerSizes.putAll(s.layerSizes);
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "image store " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void put(ImageRecord r) {
        images.put(r.name(), r);
        save();
    }

    public synchronized Optional<ImageRecord> get(String name) {
        return Optional.ofNullable(images.get(name));
    }

    public synchronized void remove(String name) {
        if (images.remove(name) == null) {
            throw GantryException.notFound("image " + name + ": not found");
        }
        save();
    }

    public synchronized List<ImageRecord> all() {
        return new ArrayList<>(images.values());
    }

    public synchronized void putLayerSize(Digest diffId, long size) {
        if (!Long.valueOf(size).equals(layerSizes.put(diffId.toString(), size))) {
            save();
        }
    }

    public synchronized Optional<Long> layerSize(Digest diffId) {
        return Optional.ofNullable(layerSizes.get(diffId.toString()));
    }

    @Override
    public synchronized List<Descriptor> roots() {
        return images.values().stream().map(ImageRecord::target).toList();
    }

    private void save() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, ImageJson.write(new Stored(images, layerSizes)));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "saving image store: " + e.getMessage(), e);
        }
    }
}
