package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.backend.ImageApi;
import dev.gantry.api.docker.backend.ImportRequest;
import dev.gantry.api.docker.backend.PullRequest;
import dev.gantry.api.docker.backend.Sink;
import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.api.docker.model.ImageDeleteItem;
import dev.gantry.api.docker.model.ImageHistoryItem;
import dev.gantry.api.docker.model.ImageInspect;
import dev.gantry.api.docker.model.ImagePruneResponse;
import dev.gantry.api.docker.model.ImageSearchResult;
import dev.gantry.api.docker.model.ImageSummary;
import dev.gantry.api.docker.model.ProgressMessage;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Engine;
import dev.gantry.image.ArchiveFormat;
import dev.gantry.image.ImageService;
import dev.gantry.image.LocalImage;
import dev.gantry.image.Reference;
import dev.gantry.image.PruneReport;
import dev.gantry.image.PullOptions;
import dev.gantry.image.PushOptions;
import dev.gantry.image.RemovedImage;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.oci.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link ImageApi} over the {@link ImageService}; the engine says which images containers use.
 * Registry credentials from {@code X-Registry-Auth} go to {@link RegistryLogins}, the registry
 * client's credential store. Search answers UNAVAILABLE.
 */
public final class ImageAdapter implements ImageApi {
    private final ImageService images;
    private final Engine engine;
    private final RegistryLogins logins;

    public ImageAdapter(ImageService images, Engine engine, RegistryLogins logins) {
        this.images = images;
        this.engine = engine;
        this.logins = logins;
    }

    @Override
    public List<ImageSummary> list(boolean all, Filters filters, boolean digests, boolean sharedSize) {
        Filters f = filters == null ? Filters.NONE : filters;
        List<ImageSummary> out = new ArrayList<>();
        for (dev.gantry.image.ImageSummary s : images.list(sharedSize)) {
            List<String> tags = s.repoTags() == null ? List.of() : s.repoTags();
            boolean dangling = tags.isEmpty() || tags.equals(List.of("<none>:<none>"));
            if (f.has("dangling") && f.get("dangling").contains("true") != dangling) {
                continue;
            }
            if (f.has("reference") && tags.stream().noneMatch(t -> f.get("reference").stream().anyMatch(r -> referenceMatches(r, t)))) {
                continue;
            }
            if (!f.matchesLabels("label", s.labels())) {
                continue;
            }
            out.add(Wire.convert(s, ImageSummary.class));
        }
        return out;
    }

    /** Docker's reference filter: {@code name} matches every tag of the repository, {@code name:tag} one tag. */
    private static boolean referenceMatches(String filter, String repoTag) {
        return filter.equals(repoTag) || (!filter.contains(":") && repoTag.startsWith(filter + ":"));
    }

    @Override
    public void pull(PullRequest request, Sink<ProgressMessage> progress) throws IOException {
        String ref = request.image();
        if (request.tag() != null && !request.tag().isEmpty()) {
            ref = ref + (request.tag().startsWith("sha256:") ? "@" : ":") + request.tag();
        }
        Platform platform = request.platform() == null || request.platform().isEmpty()
                ? PullOptions.DEFAULT.platform() : Platform.parse(request.platform());
        logins.remember(Reference.parse(ref).domain(), request.auth());
        PullProgress listener = new PullProgress(progress, false);
        String shown = ref.contains(":") || ref.contains("@") ? ref : ref + ":latest";
        listener.send(ProgressMessage.status(null, "Pulling from " + shown));
        LocalImage img = images.pull(ref, new PullOptions(platform, listener));
        imageEvent("pull", shown, Map.of("name", shown));
        listener.check();
        String digest = img.record().repoDigest();
        if (digest != null && digest.contains("@")) {
            listener.send(ProgressMessage.status(null, "Digest: " + digest.substring(digest.indexOf('@') + 1)));
        }
        listener.send(ProgressMessage.status(null, "Status: Downloaded image for " + shown));
        listener.check();
    }

    @Override
    public void importImage(ImportRequest request, InputStream tar, Sink<ProgressMessage> progress) throws IOException {
        String reference = request.repo() == null || request.repo().isEmpty() ? null
                : request.repo() + (request.tag() == null || request.tag().isEmpty() ? "" : ":" + request.tag());
        // Docker's import gives the image no command and no environment: the caller sets them with --change.
        ContainerConfig config = ImageChanges.apply(
                new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null), request.changes());
        LocalImage img = images.importRootfs(tar, reference, config);
        imageEvent("import", img.id().toString(), reference == null ? Map.of() : Map.of("name", reference));
        progress.accept(ProgressMessage.status(null, img.id().toString()));
    }

    @Override
    public ImageInspect inspect(String ref) {
        return Wire.convert(images.inspect(ref), ImageInspect.class);
    }

    @Override
    public List<ImageHistoryItem> history(String ref) {
        return images.history(ref).stream().map(h -> Wire.convert(h, ImageHistoryItem.class)).toList();
    }

    @Override
    public void push(String name, String tag, AuthConfig auth, Sink<ProgressMessage> progress) throws IOException {
        List<String> refs = new ArrayList<>();
        if (tag != null && !tag.isEmpty()) {
            refs.add(name + ":" + tag);
        } else {
            for (var s : images.list()) {
                for (String t : s.repoTags() == null ? List.<String>of() : s.repoTags()) {
                    if (referenceMatches(name, t)) {
                        refs.add(t);
                    }
                }
            }
            if (refs.isEmpty()) {
                throw GantryException.notFound("No such image: " + name);
            }
        }
        logins.remember(Reference.parse(name).domain(), auth);
        PullProgress listener = new PullProgress(progress, true);
        for (String ref : refs) {
            listener.send(ProgressMessage.status(null, "The push refers to repository [" + name + "]"));
            var digest = images.push(ref, null, new PushOptions(0, listener));
            listener.send(ProgressMessage.status(null, ref.substring(ref.lastIndexOf(':') + 1) + ": digest: " + digest));
            listener.check();
        }
    }

    @Override
    public void tag(String ref, String repo, String tag) {
        String name = repo + ":" + (tag == null || tag.isEmpty() ? "latest" : tag);
        images.tag(ref, name);
        imageEvent("tag", images.resolve(name).id().toString(), Map.of("name", name));
    }

    @Override
    public List<ImageDeleteItem> remove(String ref, boolean force, boolean noPrune) {
        List<RemovedImage> removed = images.remove(ref, force, engine.imageInUse());
        for (RemovedImage r : removed) {
            if (r.untagged() != null) {
                imageEvent("untag", r.untagged(), Map.of("name", r.untagged()));
            }
            if (r.deleted() != null) {
                imageEvent("delete", r.deleted(), Map.of("name", ref));
            }
        }
        return removed.stream().map(ImageAdapter::deleted).toList();
    }

    /** Image events go on the engine's bus: the image service knows nothing of events. */
    private void imageEvent(String action, String id, Map<String, String> attributes) {
        engine.events().publish("image", action, id, attributes);
    }

    private static ImageDeleteItem deleted(RemovedImage r) {
        return new ImageDeleteItem(r.untagged(), r.deleted());
    }

    @Override
    public List<ImageSearchResult> search(String term, Integer limit, Filters filters, AuthConfig auth) {
        throw new GantryException(ErrorKind.UNAVAILABLE, "search is not supported offline: gantryd has no registry index to search");
    }

    @Override
    public ImagePruneResponse prune(Filters filters) {
        boolean all = filters != null && filters.get("dangling").contains("false");
        PruneReport r = images.prune(all, engine.imageInUse());
        return new ImagePruneResponse(r.images().stream().map(ImageAdapter::deleted).toList(), r.spaceReclaimed());
    }

    @Override
    public void save(List<String> refs, OutputStream tar) {
        images.save(refs, ArchiveFormat.DOCKER, tar);
    }

    @Override
    public void load(InputStream tar, boolean quiet, Sink<ProgressMessage> progress) throws IOException {
        for (String name : images.load(tar)) {
            imageEvent("load", name, Map.of("name", name));
            progress.accept(ProgressMessage.stream((name.startsWith("sha256:") ? "Loaded image ID: " : "Loaded image: ") + name + "\n"));
        }
    }
}
