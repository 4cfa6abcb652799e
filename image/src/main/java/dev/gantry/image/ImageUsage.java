package dev.gantry.image;

import java.util.List;

/**
 * What {@code docker system df} reports of the images: each one with its shared size, and
 * {@code layersSize}, the size of all layers with each layer counted once however many images
 * share it.
 */
public record ImageUsage(List<ImageSummary> images, long layersSize) {
    public ImageUsage {
        images = List.copyOf(images);
    }
}
