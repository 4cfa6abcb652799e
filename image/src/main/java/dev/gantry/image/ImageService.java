package dev.gantry.image;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.content.ContentStore;
import dev.gantry.content.GarbageCollector;
import dev.gantry.content.Lease;
import dev.gantry.content.LeaseManager;
import dev.gantry.content.LocalContentStore;
import dev.gantry.content.Writer;
import dev.gantry.image.progress.ProgressEvent;
import dev.gantry.image.progress.ProgressListener;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.oci.image.ChainId;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageConfig;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.oci.image.ImageManifest;
import dev.gantry.oci.image.ManifestDocument;
import dev.gantry.oci.image.MediaType;
import dev.gantry.oci.image.Platform;
import dev.gantry.snapshot.LayerApplier;
import dev.gantry.snapshot.LayerStreams;
import dev.gantry.snapshot.LayerUnpacker;
import dev.gantry.snapshot.Mounter;
import dev.gantry.snapshot.OverlayDiffer;
import dev.gantry.snapshot.OverlaySnapshotter;
import dev.gantry.snapshot.SnapshotInfo;
import dev.gantry.snapshot.UnpackLimits;
import dev.gantry.snapshot.fs.FsCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/**
 * The image operations the engine calls: pull, push, tag, remove, list, inspect, history,
 * save/load, import/export, prune. Images are names in the {@link ImageStore} pointing at
 * manifests in the content store; their layers are unpacked into snapshots named by chain ID.
 *
 * <p>Consistency: a pull or load holds a content lease from its first blob until the image
 * name is recorded, so a collection never takes its content; if it fails, its unreferenced
 * content and snapshots are removed again. Chain IDs being unpacked are never pruned.
 */
public final class ImageService {
    private static final int DOCUMENT_LIMIT = 4 << 20;
    private static final Duration LEASE_TTL = Duration.ofHours(24);
    private final LocalContentStore content;
    private final LeaseManager leases;
    private final ImageStore images;
    private final OverlaySnapshotter snapshots;
    private final LayerUnpacker unpacker;
    private final OverlayDiffer differ;
    private final Mounter mounter;
    private final RegistryClient registry;
    private final Clock clock;
    /** Chain IDs each running pull/load/import has unpacked; a prune must not take them. */
    private final java.util.List<Set<String>> inFlight = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ThreadLocal<Set<String>> currentOperation = new ThreadLocal<>();

    public ImageService(LocalContentStore content, LeaseManager leases, ImageStore images, OverlaySnapshotter snapshots,
                        LayerUnpacker unpacker, OverlayDiffer differ, Mounter mounter, RegistryClient registry, Clock clock) {
        this.content = content;
        this.leases = leases;
        this.images = images;
        this.snapshots = snapshots;
        this.unpacker = unpacker;
        this.differ = differ;
        this.mounter = mounter;
        this.registry = registry;
        this.clock = clock;
    }

    /** Wires the default layout under {@code root}: content/, leases/, images.json, snapshots/. */
    public static ImageService open(Path root, RegistryClient registry) {
        FsCalls fs = new FsCalls();
        OverlaySnapshotter sn = new OverlaySnapshotter(root.resolve("snapshots"));
        return new ImageService(new LocalContentStore(root.resolve("content")),
                new LeaseManager(root.resolve("leases"), Clock.systemUTC()), new ImageStore(root.resolve("images.json")),
                sn, new LayerUnpacker(sn, new LayerApplier(fs), UnpackLimits.DEFAULT), new OverlayDiffer(fs),
                new Mounter(fs), registry, Clock.systemUTC());
    }

    public ContentStore content() {
        return content;
    }

    public OverlaySnapshotter snapshots() {
        return snapshots;
    }

    // ---- pull / push -------------------------------------------------------------------

    /** Pulls {@code reference}, unpacks its layers, and records the name. */
    public LocalImage pull(String reference, PullOptions opts) {
        Reference ref = Reference.parse(reference);
        Puller puller = new Puller(registry, content);
        return withLease("pull", lease -> {
                Puller.Fetched f = puller.resolve(ref, opts, lease);
                LocalImage img = load(new ImageRecord(ref.toString(), f.manifestDescriptor(), f.manifest().config().digest(),
                        null, null, null), f.manifest());
                try (ExecutorService pool = Puller.newPool()) {
                    List<Future<Descriptor>> layers = puller.fetchLayers(ref, f.manifest(), lease, pool,
                            registry.config().concurrentDownloads(), opts.progress());
                    // Layer i is unpacked as soon as it and its parents are in: downloads of
                    // later layers continue meanwhile.
                    unpack(img, i -> Puller.await(layers.get(i)), opts.progress());
                }
                String repoDigest = ref.repository() + "@" + (ref.digest() != null ? ref.digest() : f.repoDigest());
                ImageRecord rec = new ImageRecord(ref.toString(), f.manifestDescriptor(), img.id(), repoDigest,
                        ref.repository(), now());
                images.put(rec);
                return new LocalImage(rec, img.manifest(), img.configBytes(), img.config());
        });
    }

    /** Pushes the local image {@code source} as {@code target} (same name when null). */
    public Digest push(String source, String target, PushOptions opts) {
        LocalImage img = resolve(source);
        Reference to = Reference.parse(target == null ? source : target);
        if (to.tag() == null) {
            throw GantryException.invalid("push " + to + ": a tag is required");
        }
        byte[] manifest = content.readAll(img.record().target().digest(), DOCUMENT_LIMIT);
        return new Pusher(registry, content).push(to, img, manifest, opts);
    }

    // ---- local names -------------------------------------------------------------------

    /** Gives the image {@code source} the additional name {@code target}. */
    public void tag(String source, String target) {
        LocalImage img = resolve(source);
        Reference t = Reference.parse(target);
        if (t.digest() != null) {
            throw GantryException.invalid("tag " + target + ": a tag cannot contain a digest");
        }
        images.put(new ImageRecord(t.toString(), img.record().target(), img.id(), null, img.record().source(), now()));
    }

    /**
     * Removes a name, or by image ID every name of the image. Refuses (CONFLICT) when the image
     * would disappear while {@code inUse} says a container uses it, or when an ID names an
     * image with several names, unless {@code force}.
     */
    public List<RemovedImage> remove(String reference, boolean force, Predicate<Digest> inUse) {
        LocalImage img = resolve(reference);
        List<ImageRecord> sameId = images.all().stream().filter(r -> r.id().equals(img.id())).toList();
        boolean byName = images.get(normalizedName(reference)).isPresent();
        List<ImageRecord> toRemove = byName ? List.of(img.record()) : sameId;
        if (!byName && sameId.size() > 1 && !force) {
            throw GantryException.conflict("remove " + reference + ": image " + shortId(img.id())
                    + " is referenced by " + sameId.size() + " names (remove them by name or force)");
        }
        boolean last = toRemove.size() == sameId.size();
        if (last && !force && inUse.test(img.id())) {
            throw GantryException.conflict("remove " + reference + ": image " + shortId(img.id())
                    + " is being used by a container (force to remove anyway)");
        }
        List<RemovedImage> out = new ArrayList<>();
        for (ImageRecord r : toRemove) {
            images.remove(r.name());
            if (!r.name().startsWith("sha256:")) {
                out.add(new RemovedImage(Reference.parse(r.name()).familiar(), null));
            }
        }
        if (last) {
            out.add(new RemovedImage(null, img.id().toString()));
            removeUnusedSnapshots(Set.of());
        }
        return out;
    }

    /** Every image, grouped by ID, in Docker's list shape. */
    public List<ImageSummary> list() {
        Map<Digest, List<ImageRecord>> byId = new LinkedHashMap<>();
        images.all().forEach(r -> byId.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r));
        List<ImageSummary> out = new ArrayList<>();
        for (List<ImageRecord> recs : byId.values()) {
            LocalImage img = load(recs.getFirst(), null);
            Map<String, String> labels = img.config().config() == null ? null : img.config().config().labels();
            out.add(new ImageSummary(img.id().toString(), "", repoTags(recs), repoDigests(recs), createdEpoch(img.config()),
                    size(img), -1, labels == null ? Map.of() : labels, -1));
        }
        return out;
    }

    /** Docker's inspect shape for one image. */
    public ImageInspect inspect(String reference) {
        LocalImage img = resolve(reference);
        List<ImageRecord> recs = images.all().stream().filter(r -> r.id().equals(img.id())).toList();
        ImageConfig c = img.config();
        String lastTag = recs.stream().map(ImageRecord::taggedAt).filter(java.util.Objects::nonNull).max(String::compareTo).orElse("");
        String comment = c.history().isEmpty() ? "" : java.util.Objects.requireNonNullElse(c.history().getLast().comment(), "");
        return new ImageInspect(img.id().toString(), repoTags(recs), repoDigests(recs), "", comment,
                c.created() == null ? "" : c.created(), "", c.author() == null ? "" : c.author(),
                c.config() == null ? new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null) : c.config(),
                c.architecture(), c.variant(), c.os(), size(img),
                new ImageInspect.RootFs("layers", c.diffIds().stream().map(Digest::toString).toList()),
                Map.of("LastTagTime", lastTag));
    }

    /** The image's history, newest first; layer sizes are the uncompressed sizes. */
    public List<HistoryEntry> history(String reference) {
        LocalImage img = resolve(reference);
        ImageConfig c = img.config();
        List<Digest> diffIds = c.diffIds();
        List<HistoryEntry> out = new ArrayList<>();
        int layer = 0;
        List<ImageConfig.History> h = c.history().isEmpty()
                ? diffIds.stream().map(d -> new ImageConfig.History(c.created(), "", null, null, null)).toList()
                : c.history();
        for (int i = 0; i < h.size(); i++) {
            ImageConfig.History e = h.get(i);
            long size = 0;
            if (!e.isEmptyLayer() && layer < diffIds.size()) {
                size = images.layerSize(diffIds.get(layer)).orElse(0L);
                layer++;
            }
            boolean top = i == h.size() - 1;
            out.addFirst(new HistoryEntry(top ? img.id().toString() : "<missing>", epoch(e.created()),
                    e.createdBy() == null ? "" : e.createdBy(), top ? repoTags(images.all().stream()
                    .filter(r -> r.id().equals(img.id())).toList()) : List.of(), size, e.comment() == null ? "" : e.comment()));
        }
        return out;
    }

    /** The image a reference or (possibly short) image ID names; NOT_FOUND otherwise. */
    public LocalImage resolve(String reference) {
        String idText = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        if (idText.matches("[0-9a-f]{12,64}")) {
            for (ImageRecord r : images.all()) {
                if (r.id().hex().startsWith(idText)) {
                    return load(r, null);
                }
            }
        }
        Reference ref;
        try {
            ref = Reference.parse(reference);
        } catch (GantryException e) {
            throw GantryException.notFound("image " + reference + ": no such image");
        }
        if (ref.digest() != null) {
            for (ImageRecord r : images.all()) {
                String repo = Reference.parse(r.name().startsWith("sha256:") ? "invalid" : r.name()).repository();
                if (repo.equals(ref.repository()) && (r.target().digest().equals(ref.digest())
                        || (ref.repository() + "@" + ref.digest()).equals(r.repoDigest()))) {
                    return load(r, null);
                }
            }
        }
        return images.get(ref.toString()).map(r -> load(r, null))
                .orElseThrow(() -> GantryException.notFound("image " + reference + ": no such image"));
    }

    // ---- archives ----------------------------------------------------------------------

    /** Writes the images {@code references} name as a tarball of {@code format}. */
    public void save(List<String> references, ArchiveFormat format, OutputStream out) {
        Map<Digest, ArchiveWriter.Item> items = new LinkedHashMap<>();
        Map<Digest, byte[]> manifests = new HashMap<>();
        for (String r : references) {
            LocalImage img = resolve(r);
            Reference name = r.startsWith(img.id().hex()) || r.startsWith("sha256:") ? null : parseName(r);
            ArchiveWriter.Item prev = items.get(img.record().target().digest());
            List<Reference> names = new ArrayList<>(prev == null ? List.of() : prev.names());
            if (name != null && name.digest() == null) {
                names.add(name);
            }
            items.put(img.record().target().digest(), new ArchiveWriter.Item(img, names));
            manifests.put(img.record().target().digest(), content.readAll(img.record().target().digest(), DOCUMENT_LIMIT));
        }
        ArchiveWriter w = new ArchiveWriter(content, d -> images.layerSize(d).orElse(null));
        try {
            if (format == ArchiveFormat.DOCKER) {
                w.writeDocker(List.copyOf(items.values()), out);
            } else {
                w.writeOci(List.copyOf(items.values()), manifests, out);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "save: " + e.getMessage(), e);
        }
    }

    /** Loads a docker-save or OCI-layout tarball; returns the names (or IDs) loaded. */
    public List<String> load(InputStream archive) {
        return withLease("load", lease -> {
                List<ArchiveLoader.Loaded> loaded;
                try {
                    loaded = new ArchiveLoader(content, Platform.LINUX_AMD64).load(archive, lease);
                } catch (IOException e) {
                    throw GantryException.invalid("load: " + e.getMessage());
                }
                List<String> out = new ArrayList<>();
                for (ArchiveLoader.Loaded l : loaded) {
                    Digest id = l.manifest().config().digest();
                    LocalImage img = load(new ImageRecord(id.toString(), l.manifestDescriptor(), id, null, null, null), l.manifest());
                    unpack(img, i -> l.manifest().layers().get(i), ProgressListener.NONE);
                    if (l.names().isEmpty()) {
                        images.put(new ImageRecord(id.toString(), l.manifestDescriptor(), id, null, null, now()));
                        out.add(id.toString());
                    }
                    for (Reference n : l.names()) {
                        images.put(new ImageRecord(n.toString(), l.manifestDescriptor(), id, null, null, now()));
                        out.add(n.familiar());
                    }
                }
                return out;
        });
    }

    /**
     * Imports a root file system tar (plain or gzip) as a single-layer image named
     * {@code reference} (or unnamed when null). The layer is gzip-compressed on the way into
     * the content store, its diff ID and digest computed in the same pass.
     */
    public LocalImage importRootfs(InputStream rootfsTar, String reference, ContainerConfig config) {
        return withLease("import", lease -> {
                Descriptor layer;
                Digest diffId;
                try (Writer w = content.writer("import-" + UUID.randomUUID(), -1, null);
                     InputStream plain = LayerStreams.uncompressed(rootfsTar, UnpackLimits.DEFAULT)) {
                    DigestInputStream hashed = new DigestInputStream(plain, Digest.sha256(new byte[0]).newHasher());
                    try (GZIPOutputStream gz = new GZIPOutputStream(nonClosing(w.stream()), 1 << 16)) {
                        hashed.transferTo(gz);
                    }
                    diffId = Digest.of(dev.gantry.oci.image.DigestAlgorithm.SHA256, hashed.getMessageDigest());
                    layer = Descriptor.of(MediaType.OCI_LAYER_GZIP, w.digest(), w.offset());
                    lease.add(layer);
                    w.commit(layer.size(), layer.digest());
                } catch (IOException e) {
                    throw GantryException.invalid("import: " + e.getMessage());
                }
                String created = now();
                ImageConfig cfg = new ImageConfig(created, null, "amd64", "linux", null, null, config,
                        ImageConfig.RootFs.layers(List.of(diffId)),
                        List.of(new ImageConfig.History(created, "gantry import", null, "Imported from tarball", null)));
                Descriptor cd = putDocument(MediaType.OCI_CONFIG, ImageJson.write(cfg), lease);
                ImageManifest m = ImageManifest.of(MediaType.OCI_MANIFEST, cd, List.of(layer));
                Descriptor md = putDocument(MediaType.OCI_MANIFEST, ImageJson.write(m), lease);
                String name = reference == null ? cd.digest().toString() : Reference.parse(reference).toString();
                ImageRecord rec = new ImageRecord(name, md, cd.digest(), null, null, now());
                LocalImage img = load(rec, m);
                unpack(img, i -> layer, ProgressListener.NONE);
                images.put(rec);
                return img;
        });
    }

    /**
     * Writes the image's flattened root file system as a tar: a read-only view of its top
     * snapshot is mounted on a temporary directory and walked (needs CAP_SYS_ADMIN).
     */
    public void exportRootfs(String reference, OutputStream out) {
        LocalImage img = resolve(reference);
        List<Digest> chain = ChainId.of(img.config().diffIds());
        if (chain.isEmpty()) {
            throw GantryException.invalid("export " + reference + ": the image has no layers");
        }
        String key = "export-" + UUID.randomUUID();
        Path target = null;
        try {
            target = Files.createTempDirectory("gantry-export");
            mounter.mount(snapshots.view(key, chain.getLast().toString()), target);
            try {
                differ.diff(target, out);
            } finally {
                mounter.unmount(target);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "export " + reference + ": " + e.getMessage(), e);
        } finally {
            if (snapshots.exists(key)) {
                snapshots.remove(key);
            }
            if (target != null) {
                target.toFile().delete();
            }
        }
    }

    // ---- garbage ------------------------------------------------------------------------

    /**
     * Removes unnamed images (all images not in use when {@code all}), then snapshots no image
     * needs, then unreferenced content.
     */
    public PruneReport prune(boolean all, Predicate<Digest> inUse) {
        List<RemovedImage> removed = new ArrayList<>();
        for (ImageRecord r : images.all()) {
            boolean dangling = r.name().startsWith("sha256:");
            if ((dangling || all) && !inUse.test(r.id())) {
                images.remove(r.name());
                removed.add(dangling ? new RemovedImage(null, r.id().toString())
                        : new RemovedImage(Reference.parse(r.name()).familiar(), null));
            }
        }
        List<String> snaps = removeUnusedSnapshots(Set.of());
        long bytes = new GarbageCollector(content, List.of(images, leases)).collect().bytesFreed();
        return new PruneReport(removed, snaps, bytes);
    }

    /**
     * Removes committed snapshots that no image's chain needs and no other snapshot builds on,
     * leaves first, skipping {@code keep} and chains being unpacked right now.
     */
    private synchronized List<String> removeUnusedSnapshots(Set<String> keep) {
        Set<String> needed = new HashSet<>(keep);
        inFlight.forEach(needed::addAll);
        for (ImageRecord r : images.all()) {
            try {
                ImageConfig c = ImageJson.read(content.readAll(r.id(), DOCUMENT_LIMIT), ImageConfig.class, "config " + r.id());
                ChainId.of(c.diffIds()).forEach(d -> needed.add(d.toString()));
            } catch (GantryException missing) {
                // An image whose config is gone pins nothing.
            }
        }
        List<String> removed = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            List<SnapshotInfo> all = new ArrayList<>();
            snapshots.walk(all::add);
            Set<String> parents = new HashSet<>();
            all.forEach(s -> {
                if (s.parent() != null) {
                    parents.add(s.parent());
                }
            });
            for (SnapshotInfo s : all) {
                if (s.kind() == SnapshotInfo.Kind.COMMITTED && !needed.contains(s.name()) && !parents.contains(s.name())) {
                    snapshots.remove(s.name());
                    removed.add(s.name());
                    progress = true;
                }
            }
        }
        return removed;
    }

    // ---- helpers -------------------------------------------------------------------------

    @FunctionalInterface
    private interface LayerSource {
        Descriptor layer(int index);
    }

    /**
     * Unpacks every layer not yet unpacked. Layers are extracted concurrently (each as soon as
     * {@code source} yields it, at most one per processor) and committed in order, each on its
     * parent chain; a failure discards every extraction not committed.
     */
    private void unpack(LocalImage img, LayerSource source, ProgressListener progress) {
        List<Digest> diffIds = img.config().diffIds();
        List<Descriptor> layers = img.manifest().layers();
        if (diffIds.size() != layers.size()) {
            throw GantryException.invalid("image " + shortId(img.id()) + ": config lists " + diffIds.size()
                    + " diff IDs for " + layers.size() + " layers");
        }
        List<Digest> chain = ChainId.of(diffIds);
        Set<String> mine = currentOperation.get();
        java.util.concurrent.Semaphore cpus = new java.util.concurrent.Semaphore(Runtime.getRuntime().availableProcessors());
        List<Future<LayerUnpacker.Extracted>> extractions = new ArrayList<>();
        try (ExecutorService pool = Puller.newPool()) {
            for (int i = 0; i < layers.size(); i++) {
                Digest id = chain.get(i);
                if (unpacker.isUnpacked(id)) {
                    extractions.add(null);
                    continue;
                }
                if (mine != null) {
                    mine.add(id.toString());
                }
                int index = i;
                extractions.add(pool.submit(() -> {
                    Descriptor layer = source.layer(index);
                    cpus.acquire();
                    try (InputStream in = content.open(layer.digest())) {
                        progress.onEvent(new ProgressEvent.Extracting(Puller.shortId(layer.digest())));
                        return unpacker.extract(diffIds.get(index), in);
                    } finally {
                        cpus.release();
                    }
                }));
            }
            int committed = 0;
            try {
                for (int i = 0; i < layers.size(); i++, committed++) {
                    if (extractions.get(i) == null) {
                        continue;
                    }
                    LayerUnpacker.Extracted e = Puller.await(extractions.get(i));
                    unpacker.commit(e, i == 0 ? null : chain.get(i - 1), chain.get(i));
                    images.putLayerSize(diffIds.get(i), e.uncompressedSize());
                    progress.onEvent(new ProgressEvent.Extracted(Puller.shortId(layers.get(i).digest())));
                }
            } catch (RuntimeException failure) {
                for (int i = committed + 1; i < extractions.size(); i++) {
                    discardQuietly(extractions.get(i), failure);
                }
                throw failure;
            }
        }
    }

    private void discardQuietly(Future<LayerUnpacker.Extracted> f, RuntimeException failure) {
        if (f == null) {
            return;
        }
        try {
            unpacker.discard(Puller.await(f));
        } catch (RuntimeException alsoFailed) {
            failure.addSuppressed(alsoFailed);
        }
    }

    /**
     * Runs an operation that adds content and snapshots under a fresh lease. If it fails,
     * whatever it added that nothing else references is removed once the lease is released:
     * its snapshots, then its blobs (other operations in flight hold their own leases), so the
     * store is as it was. An interrupted ingest stays in the ingest area for a resume; it is
     * never visible as a blob.
     */
    private <T> T withLease(String purpose, java.util.function.Function<Lease, T> op) {
        Set<String> mine = java.util.concurrent.ConcurrentHashMap.newKeySet();
        inFlight.add(mine);
        currentOperation.set(mine);
        try {
            try (Lease lease = leases.create(purpose + "-" + UUID.randomUUID(), LEASE_TTL)) {
                return op.apply(lease);
            }
        } catch (RuntimeException e) {
            inFlightRemove(mine);
            try {
                removeUnusedSnapshots(Set.of());
                collectGarbage();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        } finally {
            inFlightRemove(mine);
            currentOperation.remove();
        }
    }

    /** Removes this operation's entry by identity (two sets with equal contents are distinct operations). */
    private void inFlightRemove(Set<String> mine) {
        inFlight.removeIf(s -> s == mine);
    }

    /** Garbage-collects content now (what the lease of a failed operation held is freed). */
    public GarbageCollector.Result collectGarbage() {
        return new GarbageCollector(content, List.of(images, leases)).collect();
    }

    private Descriptor putDocument(String mediaType, byte[] bytes, Lease lease) {
        Digest d = Digest.sha256(bytes);
        Descriptor desc = Descriptor.of(mediaType, d, bytes.length);
        lease.add(desc);
        if (content.info(d).isEmpty()) {
            try (Writer w = content.writer("doc-" + d, bytes.length, d)) {
                w.reset();
                w.write(bytes, 0, bytes.length);
                w.commit(bytes.length, d);
            }
        }
        return desc;
    }

    private LocalImage load(ImageRecord rec, ImageManifest known) {
        ImageManifest m = known;
        if (m == null) {
            ManifestDocument doc = ManifestDocument.parse(content.readAll(rec.target().digest(), DOCUMENT_LIMIT),
                    rec.target().mediaType());
            if (!(doc instanceof ImageManifest im)) {
                throw GantryException.invalid("image " + rec.name() + ": target is not an image manifest");
            }
            m = im;
        }
        byte[] configBytes = content.readAll(m.config().digest(), DOCUMENT_LIMIT);
        ImageConfig config = ImageJson.read(configBytes, ImageConfig.class, "image config " + m.config().digest());
        return new LocalImage(rec, m, configBytes, config);
    }

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
        return recs.stream().map(ImageRecord::name).filter(n -> !n.startsWith("sha256:"))
                .map(n -> Reference.parse(n).familiar()).toList();
    }

    private static List<String> repoDigests(List<ImageRecord> recs) {
        return recs.stream().map(ImageRecord::repoDigest).filter(java.util.Objects::nonNull).distinct()
                .map(d -> Reference.parse(d).familiar()).toList();
    }

    private static long createdEpoch(ImageConfig c) {
        return epoch(c.created());
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

    private String now() {
        return Instant.now(clock).toString();
    }

    private static String shortId(Digest d) {
        return d.hex().substring(0, 12);
    }

    private static String normalizedName(String reference) {
        try {
            return Reference.parse(reference).toString();
        } catch (GantryException e) {
            return reference;
        }
    }

    private static Reference parseName(String reference) {
        try {
            return Reference.parse(reference);
        } catch (GantryException e) {
            return null;
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
