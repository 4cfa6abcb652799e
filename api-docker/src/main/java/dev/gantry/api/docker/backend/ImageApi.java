package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.AuthConfig;
import dev.gantry.api.docker.model.ImageDeleteItem;
import dev.gantry.api.docker.model.ImageHistoryItem;
import dev.gantry.api.docker.model.ImageInspect;
import dev.gantry.api.docker.model.ImagePruneResponse;
import dev.gantry.api.docker.model.ImageSearchResult;
import dev.gantry.api.docker.model.ImageSummary;
import dev.gantry.api.docker.model.ProgressMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The images of the engine, as the Docker API sees them.
 *
 * <p>Vocabulary: an image <em>reference</em> is what a client typed — a name with optional
 * tag or digest ({@code busybox}, {@code localhost:5000/a/b:1}, {@code x@sha256:...}), a
 * full image id ({@code sha256:<hex>}) or a unique id prefix; a name without a registry is
 * normalised the Docker way ({@code docker.io/library/busybox:latest}). Unknown references
 * are NOT_FOUND ("No such image: x"); an image used by a container is CONFLICT on removal.
 * Operations that report progress write {@link ProgressMessage}s to a {@link Sink}; a failure
 * may be thrown before the first message (the client then gets a plain error status) or
 * after (the route turns it into a final error message). Threading and cancellation as in
 * {@link ContainerApi}.
 */
public interface ImageApi {
    /**
     * {@code all} includes intermediate images; {@code digests} fills RepoDigests; {@code sharedSize}
     * computes SharedSize, which is -1 otherwise. Filters: before, dangling, label, reference, since, until.
     */
    List<ImageSummary> list(boolean all, Filters filters, boolean digests, boolean sharedSize);

    void pull(PullRequest request, Sink<ProgressMessage> progress) throws IOException;

    /** Imports a root filesystem tarball read from {@code tar}. */
    void importImage(ImportRequest request, InputStream tar, Sink<ProgressMessage> progress) throws IOException;

    ImageInspect inspect(String ref);

    List<ImageHistoryItem> history(String ref);

    /** Pushes {@code name} (all its tags when {@code tag} is null) with the given credentials. */
    void push(String name, String tag, AuthConfig auth, Sink<ProgressMessage> progress) throws IOException;

    /** Gives image {@code ref} the name {@code repo}:{@code tag} (tag null: latest). */
    void tag(String ref, String repo, String tag);

    /** Untags and, when no name is left (or {@code force}), deletes; {@code noPrune} keeps untagged parents. */
    List<ImageDeleteItem> remove(String ref, boolean force, boolean noPrune);

    /** Searches a registry; an engine without registry access answers UNAVAILABLE. */
    List<ImageSearchResult> search(String term, Integer limit, Filters filters, AuthConfig auth);

    /** Removes dangling images (all unused ones when the filter dangling=false). */
    ImagePruneResponse prune(Filters filters);

    /** Writes the named images as one {@code docker save} tarball. */
    void save(List<String> refs, OutputStream tar) throws IOException;

    /** Loads a {@code docker save} or OCI-layout tarball; {@code quiet} suppresses progress. */
    void load(InputStream tar, boolean quiet, Sink<ProgressMessage> progress) throws IOException;
}
