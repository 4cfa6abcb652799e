package dev.gantry.image;

import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The Docker Engine API's views of images: list entries, inspect, history. */
final class DockerViews {
    private static final ContainerConfig EMPTY = new ContainerConfig(null, null, null, null, null, null, null, null, null,
            null, null, null, null);
    private final LocalImages local;
    private final ImageStore images;

    DockerViews(LocalImages local, ImageStore images) {
        this.local = local;
        this.images = images;
    }

    /**
     * One entry per image ID. {@code SharedSize}, the size of its layers that other images use
     * too, only when {@code sharedSize} (the API's {@code shared-size=1}); -1 otherwise, as
     * dockerd answers, since it means sizing every image's layers.
     */
    List<ImageSummary> list(boolean sharedSize) {
        Map<Digest, List<ImageRecord>> byId = byId();
        return summaries(byId, read(byId), sharedSize);
    }

    /**
     * The list with shared sizes, and the size of all layers, each counted once however many
     * images share it (Docker's LayersSize), from one read of each image.
     */
    ImageUsage usage() {
        Map<Digest, List<ImageRecord>> byId = byId();
        List<LocalImage> read = read(byId);
        Map<Digest, Long> all = new HashMap<>();
        read.forEach(img -> all.putAll(layerSizes(img)));
        return new ImageUsage(summaries(byId, read, true), all.values().stream().mapToLong(Long::longValue).sum());
    }

    /** The image records grouped by image ID, in the store's order. */
    private Map<Digest, List<ImageRecord>> byId() {
        Map<Digest, List<ImageRecord>> byId = new LinkedHashMap<>();
        images.all().forEach(r -> byId.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r));
        return byId;
    }

    /** Each image of {@code byId} read once (manifest and config), in the same order. */
    private List<LocalImage> read(Map<Digest, List<ImageRecord>> byId) {
        return byId.values().stream().map(recs -> local.read(recs.getFirst(), null)).toList();
    }

    private List<ImageSummary> summaries(Map<Digest, List<ImageRecord>> byId, List<LocalImage> read, boolean sharedSize) {
        Map<Digest, Integer> users = new HashMap<>();
        if (sharedSize) {
            read.forEach(img -> Set.copyOf(img.config().diffIds()).forEach(d -> users.merge(d, 1, Integer::sum)));
        }
        List<ImageSummary> out = new ArrayList<>();
        int i = 0;
        for (List<ImageRecord> recs : byId.values()) {
            LocalImage img = read.get(i++);
            Map<String, String> labels = img.config().config() == null ? null : img.config().config().labels();
            long shared = !sharedSize ? -1
                    : layerSizes(img).entrySet().stream().filter(e -> users.get(e.getKey()) > 1).mapToLong(Map.Entry::getValue).sum();
            out.add(new ImageSummary(img.id().toString(), "", repoTags(recs), repoDigests(recs), epoch(img.config().created()),
                    size(img), shared, labels == null ? Map.of() : labels, -1));
        }
        return out;
    }

    ImageInspect inspect(String reference) {
        LocalImage img = local.resolve(reference);
        List<ImageRecord> recs = local.namesOf(img.id());
        ImageConfig c = img.config();
        String lastTag = recs.stream().map(ImageRecord::taggedAt).filter(Objects::nonNull).max(String::compareTo).orElse("");
        String comment = c.history().isEmpty() ? "" : Objects.requireNonNullElse(c.history().getLast().comment(), "");
        return new ImageInspect(img.id().toString(), repoTags(recs), repoDigests(recs), "", comment,
                Objects.requireNonNullElse(c.created(), ""), "", Objects.requireNonNullElse(c.author(), ""),
                c.config() == null ? EMPTY : c.config(), c.architecture(), c.variant(), c.os(), size(img),
                new ImageInspect.RootFs("layers", c.diffIds().stream().map(Digest::toString).toList()),
                Map.of("LastTagTime", lastTag));
    }

    /** Newest first, as Docker lists it; a layer's size is its uncompressed size. */
    List<HistoryEntry> history(String reference) {
        LocalImage img = local.resolve(reference);
        ImageConfig c = img.config();
        List<Digest> diffIds = c.diffIds();
        List<ImageConfig.History> h = c.history().isEmpty()
                ? diffIds.stream().map(d -> new ImageConfig.History(c.created(), "", null, null, null)).toList()
                : c.history();
        List<HistoryEntry> out = new ArrayList<>();
        int layer = 0;
        for (int i = 0; i < h.size(); i++) {
            ImageConfig.History e = h.get(i);
            long size = 0;
            if (!e.isEmptyLayer() && layer < diffIds.size()) {
                size = images.layerSize(diffIds.get(layer)).orElse(0L);
                layer++;
            }
            boolean top = i == h.size() - 1;
            out.addFirst(new HistoryEntry(top ? img.id().toString() : "<missing>", epoch(e.created()),
                    Objects.requireNonNullElse(e.createdBy(), ""), top ? repoTags(local.namesOf(img.id())) : List.of(),
                    size, Objects.requireNonNullElse(e.comment(), "")));
        }
        return out;
    }

    /** Uncompressed size when known from unpacking, else the compressed size. */
    private long size(LocalImage img) {
        long total = 0;
        List<Digest> diffIds = img.config().diffIds();
        for (int i = 0; i < diffIds.size(); i++) {
            total += layerSize(img, i);
        }
        return total;
    }

    private long layerSize(LocalImage img, int index) {
        return images.layerSize(img.config().diffIds().get(index)).orElseGet(() -> img.manifest().layers().get(index).size());
    }

    /** The image's distinct layers and their sizes. */
    private Map<Digest, Long> layerSizes(LocalImage img) {
        Map<Digest, Long> out = new LinkedHashMap<>();
        List<Digest> diffIds = img.config().diffIds();
        for (int i = 0; i < diffIds.size(); i++) {
            out.putIfAbsent(diffIds.get(i), layerSize(img, i));
        }
        return out;
    }

    private static List<String> repoTags(List<ImageRecord> recs) {
        return recs.stream().filter(r -> !LocalImages.isUnnamed(r)).map(r -> Reference.parse(r.name()).familiar()).toList();
    }

    private static List<String> repoDigests(List<ImageRecord> recs) {
        return recs.stream().map(ImageRecord::repoDigest).filter(Objects::nonNull).distinct()
                .map(d -> Reference.parse(d).familiar()).toList();
    }

    private static long epoch(String iso) {
        if (iso == null || iso.isEmpty()) {
            return 0;
        }
        try {
            return java.time.OffsetDateTime.parse(iso).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }
}
