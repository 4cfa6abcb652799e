package dev.gantry.image;

import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    List<ImageSummary> list() {
        Map<Digest, List<ImageRecord>> byId = new LinkedHashMap<>();
        images.all().forEach(r -> byId.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r));
        List<ImageSummary> out = new ArrayList<>();
        for (List<ImageRecord> recs : byId.values()) {
            LocalImage img = local.read(recs.getFirst(), null);
            Map<String, String> labels = img.config().config() == null ? null : img.config().config().labels();
            out.add(new ImageSummary(img.id().toString(), "", repoTags(recs), repoDigests(recs), epoch(img.config().created()),
                    size(img), -1, labels == null ? Map.of() : labels, -1));
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
            int idx = i;
            total += images.layerSize(diffIds.get(i)).orElseGet(() -> img.manifest().layers().get(idx).size());
        }
        return total;
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
