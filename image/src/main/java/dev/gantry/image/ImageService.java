package dev.gantry.image;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.content.ContentStore;
import dev.gantry.content.GarbageCollector;
import dev.gantry.content.LeaseManager;
import dev.gantry.content.LocalContentStore;
import dev.gantry.image.progress.ProgressListener;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.oci.image.ChainId;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.Platform;
import dev.gantry.snapshot.LayerApplier;
import dev.gantry.snapshot.LayerUnpacker;
import dev.gantry.snapshot.Mounter;
import dev.gantry.snapshot.OverlayDiffer;
import dev.gantry.snapshot.OverlaySnapshotter;
import dev.gantry.snapshot.UnpackLimits;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/**
 * The image operations the engine calls: pull, push, tag, remove, list, inspect, history,
 * save/load, import/export, prune. Images are names in the {@link ImageStore} pointing at
 * manifests in the content store; their layers are unpacked into snapshots named by chain ID.
 * Operations that add content run under an {@link OperationGuard}: a failed pull, load or
 * import leaves the store as it was.
 */
public final class ImageService {
    private final LocalContentStore content;
    private final ImageStore images;
    private final OverlaySnapshotter snapshots;
    private final OverlayDiffer differ;
    private final Mounter mounter;
    private final RegistryClient registry;
    private final Clock clock;
    private final LocalImages local;
    private final DockerViews views;
    private final OperationGuard guard;
    private final StackUnpacker stacks;

    public ImageService(LocalContentStore content, LeaseManager leases, ImageStore images, OverlaySnapshotter snapshots,
                        LayerUnpacker unpacker, OverlayDiffer differ, Mounter mounter, RegistryClient registry, Clock clock) {
        this.content = content;
        this.images = images;
        this.snapshots = snapshots;
        this.differ = differ;
        this.mounter = mounter;
        this.registry = registry;
        this.clock = clock;
        this.local = new LocalImages(content, images);
        this.views = new DockerViews(local, images);
        this.guard = new OperationGuard(leases, images, content, snapshots);
        this.stacks = new StackUnpacker(unpacker, images, guard);
    }

    /** Wires the default layout under {@code root}: content/, leases/, images.json, snapshots/. */
    public static ImageService open(Path root, RegistryClient registry) {
        Syscalls fs = new LinuxSyscalls();
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

    /** Pulls {@code reference}, unpacks its layers (while later ones still download), records the name. */
    public LocalImage pull(String reference, PullOptions opts) {
        Reference ref = Reference.parse(reference);
        Puller puller = new Puller(registry, content);
        return guard.run("pull", lease -> {
            Puller.Fetched f = puller.resolve(ref, opts, lease);
            LocalImage img = local.read(new ImageRecord(ref.toString(), f.manifestDescriptor(), f.manifest().config().digest(),
                    null, null, null), f.manifest());
            try (ExecutorService pool = Puller.newPool()) {
                try (Puller.Downloads layers = puller.fetchLayers(ref, f.manifest(), lease, pool,
                        registry.config().concurrentDownloads(), opts.progress())) {
                    stacks.unpack(img, layers, opts.progress());
                }
            }
            String repoDigest = ref.repository() + "@" + (ref.digest() != null ? ref.digest() : f.repoDigest());
            ImageRecord rec = new ImageRecord(ref.toString(), f.manifestDescriptor(), img.id(), repoDigest, ref.repository(), now());
            images.put(rec);
            return new LocalImage(rec, img.manifest(), img.configBytes(), img.config());
        });
    }

    /** Pushes the local image {@code source} as {@code target} (its own name when null); returns the manifest digest. */
    public Digest push(String source, String target, PushOptions opts) {
        LocalImage img = local.resolve(source);
        Reference to = Reference.parse(target == null ? source : target);
        if (to.tag() == null) {
            throw GantryException.invalid("push " + to + ": a tag is required");
        }
        byte[] manifest = content.readAll(img.record().target().digest(), LocalImages.DOCUMENT_LIMIT);
        return new Pusher(registry, content).push(to, img, manifest, opts);
    }

    /** Gives the image {@code source} the additional name {@code target}. */
    public void tag(String source, String target) {
        LocalImage img = local.resolve(source);
        Reference t = Reference.parse(target);
        if (t.digest() != null) {
            throw GantryException.invalid("tag " + target + ": a tag cannot contain a digest");
        }
        images.put(new ImageRecord(t.toString(), img.record().target(), img.id(), null, img.record().source(), now()));
    }

    /**
     * Removes a name, or by image ID every name of the image. Refuses (CONFLICT) when the image
     * would disappear while {@code inUse} says a container uses it, or when an ID names an
     * image with several names, unless {@code force}. Snapshots only this image used go too.
     */
    public List<RemovedImage> remove(String reference, boolean force, Predicate<Digest> inUse) {
        LocalImage img = local.resolve(reference);
        List<ImageRecord> sameId = local.namesOf(img.id());
        boolean byName = images.get(normalizedName(reference)).isPresent();
        List<ImageRecord> toRemove = byName ? List.of(img.record()) : sameId;
        String shortId = img.id().hex().substring(0, 12);
        if (!byName && sameId.size() > 1 && !force) {
            throw GantryException.conflict("remove " + reference + ": image " + shortId + " is referenced by "
                    + sameId.size() + " names (remove them by name or force)");
        }
        boolean last = toRemove.size() == sameId.size();
        if (last && !force && inUse.test(img.id())) {
            throw GantryException.conflict("remove " + reference + ": image " + shortId
                    + " is being used by a container (force to remove anyway)");
        }
        List<RemovedImage> out = new ArrayList<>();
        for (ImageRecord r : toRemove) {
            images.remove(r.name());
            if (!LocalImages.isUnnamed(r)) {
                out.add(new RemovedImage(Reference.parse(r.name()).familiar(), null));
            }
        }
        if (last) {
            out.add(new RemovedImage(null, img.id().toString()));
            guard.removeUnusedSnapshots();
        }
        return out;
    }

    /** Every image, grouped by ID, in Docker's list shape, {@code SharedSize} -1 (not computed). */
    public List<ImageSummary> list() {
        return views.list(false);
    }

    /** Every image, grouped by ID, in Docker's list shape; {@code SharedSize} computed when {@code sharedSize}, else -1. */
    public List<ImageSummary> list(boolean sharedSize) {
        return views.list(sharedSize);
    }

    /** The images with their shared sizes and the size of all layers, each counted once ({@code docker system df}). */
    public ImageUsage usage() {
        return views.usage();
    }

    /** Docker's inspect shape for one image. */
    public ImageInspect inspect(String reference) {
        return views.inspect(reference);
    }

    /** The image's history, newest first. */
    public List<HistoryEntry> history(String reference) {
        return views.history(reference);
    }

    /** The image a reference, repository@digest or image ID names; NOT_FOUND otherwise. */
    public LocalImage resolve(String reference) {
        return local.resolve(reference);
    }

    /** Writes the images {@code references} name as a tarball of {@code format}, streaming every blob. */
    public void save(List<String> references, ArchiveFormat format, OutputStream out) {
        Map<Digest, ArchiveWriter.Item> items = new LinkedHashMap<>();
        Map<Digest, byte[]> manifests = new HashMap<>();
        for (String r : references) {
            LocalImage img = local.resolve(r);
            Digest target = img.record().target().digest();
            ArchiveWriter.Item prev = items.get(target);
            List<Reference> names = new ArrayList<>(prev == null ? List.of() : prev.names());
            Reference name = r.startsWith(img.id().hex()) || r.startsWith("sha256:") ? null : Reference.parse(r);
            if (name != null && name.digest() == null) {
                names.add(name);
            }
            items.put(target, new ArchiveWriter.Item(img, names));
            manifests.put(target, content.readAll(target, LocalImages.DOCUMENT_LIMIT));
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
        return guard.run("load", lease -> {
            List<ArchiveLoader.Loaded> loaded;
            try {
                loaded = new ArchiveLoader(content, Platform.LINUX_AMD64).load(archive, lease);
            } catch (IOException e) {
                throw GantryException.invalid("load: " + e.getMessage());
            }
            List<String> out = new ArrayList<>();
            for (ArchiveLoader.Loaded l : loaded) {
                Digest id = l.manifest().config().digest();
                LocalImage img = local.read(new ImageRecord(id.toString(), l.manifestDescriptor(), id, null, null, null), l.manifest());
                stacks.unpack(img, StackUnpacker.LayerSource.stored(content, l.manifest().layers()), ProgressListener.NONE);
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

    /** Imports a root file system tar as a single-layer image named {@code reference} (unnamed when null). */
    public LocalImage importRootfs(InputStream rootfsTar, String reference, ContainerConfig config) {
        String name = reference == null ? null : Reference.parse(reference).toString();
        return guard.run("import", lease -> {
            RootfsImporter.Imported imp = new RootfsImporter(content).importTar(rootfsTar, config, now(), lease);
            Digest id = imp.manifest().config().digest();
            ImageRecord rec = new ImageRecord(name == null ? id.toString() : name, imp.manifestDescriptor(), id, null, null, now());
            LocalImage img = local.read(rec, imp.manifest());
            stacks.unpack(img, StackUnpacker.LayerSource.stored(content, imp.manifest().layers()), ProgressListener.NONE);
            images.put(rec);
            return img;
        });
    }

    /**
     * Makes an image of a container ({@code docker commit}): the changes in the active snapshot
     * {@code snapshotKey}, prepared on the top layer of {@code parentReference}, become a new
     * layer; {@code config} (or the parent's when null) becomes the image's container config.
     * The caller pauses or stops the container first, so the layer is a consistent cut.
     */
    public LocalImage commit(String snapshotKey, String parentReference, String reference, ContainerConfig config, String comment) {
        LocalImage parent = local.resolve(parentReference);
        List<Digest> chain = ChainId.of(parent.config().diffIds());
        String base = snapshots.stat(snapshotKey).parent();
        if (chain.isEmpty() ? base != null : !chain.getLast().toString().equals(base)) {
            throw GantryException.invalid("commit " + snapshotKey + ": the snapshot is not based on image " + parentReference);
        }
        String name = reference == null ? null : Reference.parse(reference).toString();
        LayerCommitter committer = new LayerCommitter(content, differ);
        return guard.run("commit", lease -> {
            LayerCommitter.Committed c = committer.commit(parent, snapshots.layerDir(snapshotKey), config, comment, now(), lease);
            Digest id = c.manifest().config().digest();
            ImageRecord rec = new ImageRecord(name == null ? id.toString() : name, c.manifestDescriptor(), id, null,
                    parent.record().source(), now());
            LocalImage img = local.read(rec, c.manifest());
            stacks.unpack(img, StackUnpacker.LayerSource.stored(content, c.manifest().layers()), ProgressListener.NONE);
            images.put(rec);
            return img;
        });
    }

    /**
     * Writes the image's flattened root file system as a tar: a read-only view of its top
     * snapshot is mounted on a temporary directory and walked (needs CAP_SYS_ADMIN).
     */
    public void exportRootfs(String reference, OutputStream out) {
        LocalImage img = local.resolve(reference);
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

    /**
     * Removes unnamed images (every image not in use when {@code all}), then snapshots no
     * image needs, then unreferenced content.
     */
    public PruneReport prune(boolean all, Predicate<Digest> inUse) {
        List<RemovedImage> removed = new ArrayList<>();
        for (ImageRecord r : images.all()) {
            boolean unnamed = LocalImages.isUnnamed(r);
            if ((unnamed || all) && !inUse.test(r.id())) {
                images.remove(r.name());
                removed.add(unnamed ? new RemovedImage(null, r.id().toString())
                        : new RemovedImage(Reference.parse(r.name()).familiar(), null));
            }
        }
        List<String> snaps = guard.removeUnusedSnapshots();
        return new PruneReport(removed, snaps, guard.collectGarbage().bytesFreed());
    }

    /** Garbage-collects content now. */
    public GarbageCollector.Result collectGarbage() {
        return guard.collectGarbage();
    }

    private String now() {
        return Instant.now(clock).toString();
    }

    private static String normalizedName(String reference) {
        try {
            return Reference.parse(reference).toString();
        } catch (GantryException e) {
            return reference;
        }
    }
}
