package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.http.StdSink;
import dev.gantry.api.docker.json.Filters;
import dev.gantry.api.docker.model.ContainerCreateRequest;
import dev.gantry.api.docker.model.ContainerCreateResponse;
import dev.gantry.api.docker.model.ContainerInspect;
import dev.gantry.api.docker.model.ContainerPruneResponse;
import dev.gantry.api.docker.model.ContainerStats;
import dev.gantry.api.docker.model.ContainerSummary;
import dev.gantry.api.docker.model.ContainerTopResponse;
import dev.gantry.api.docker.model.ContainerUpdateRequest;
import dev.gantry.api.docker.model.ContainerUpdateResponse;
import dev.gantry.api.docker.model.ContainerWaitResponse;
import dev.gantry.api.docker.model.FilesystemChange;
import dev.gantry.api.docker.model.IdResponse;
import dev.gantry.api.docker.model.PathStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The containers of the engine, as the Docker API sees them.
 *
 * <p>Vocabulary: a <em>reference</em> ({@code ref}) is what a client typed — a full 64-hex
 * id, a unique id prefix, or a name with or without its leading slash; an unknown reference
 * is NOT_FOUND ("No such container: x"), an ambiguous prefix INVALID_ARGUMENT. A
 * <em>name</em> as stored starts with a slash ({@code /web}). Failures are
 * {@link dev.gantry.base.GantryException}s: NOT_FOUND, CONFLICT for the wrong state
 * ("container is not running", name in use), INVALID_ARGUMENT for bad values.
 *
 * <p>Every method runs on the request's own virtual thread and may block. When the client
 * disconnects, that thread is interrupted and writes to its sinks throw
 * {@link IOException}: long-running methods (logs with follow, stats, attach, wait) stop
 * there and return.
 */
public interface ContainerApi {
    /** Creates a container; {@code name} null or empty → a generated name. {@code platform} may be null. */
    ContainerCreateResponse create(String name, String platform, ContainerCreateRequest request);

    List<ContainerSummary> list(ContainerListQuery query);

    /** Inspects one container; {@code size} computes SizeRw and SizeRootFs. */
    ContainerInspect inspect(String ref, boolean size);

    /** The container's processes as {@code ps} would list them with {@code psArgs} (null: "-ef"). */
    ContainerTopResponse top(String ref, String psArgs);

    /**
     * Writes the container's log to {@code out}, each entry tagged with its stream. With
     * {@code follow}, keeps writing until the container stops or the client goes away.
     */
    void logs(String ref, LogQuery query, StdSink out) throws IOException;

    /** The changes of the writable layer against the image (the init layer excluded). */
    List<FilesystemChange> changes(String ref);

    /** Writes the container's whole filesystem as a tar archive. */
    void export(String ref, OutputStream tar) throws IOException;

    /** Sends one sample (stream false) or one per second until the client goes away. */
    void stats(String ref, boolean stream, Sink<ContainerStats> out) throws IOException;

    /** Resizes the container's TTY; CONFLICT when it has none or is not running. */
    void resize(String ref, int height, int width);

    /** Starts the container; false when it was already running (Docker answers 304). */
    boolean start(String ref);

    /**
     * Stops the container: {@code signal} (null: the image's StopSignal, else SIGTERM), then
     * SIGKILL after {@code timeoutSeconds} (null: the container's StopTimeout, else 10;
     * -1: wait forever). False when it was not running (304).
     */
    boolean stop(String ref, String signal, Integer timeoutSeconds);

    void restart(String ref, String signal, Integer timeoutSeconds);

    /** Sends {@code signal} (name like "SIGHUP"/"HUP" or number; null: SIGKILL); CONFLICT if not running. */
    void kill(String ref, String signal);

    ContainerUpdateResponse update(String ref, ContainerUpdateRequest request);

    /** Renames; CONFLICT when {@code newName} is taken. */
    void rename(String ref, String newName);

    void pause(String ref);

    void unpause(String ref);

    /**
     * Registers an attachment to the container's streams and returns it without blocking.
     * The route answers {@code 101} only after this returns, and clients such as
     * {@code docker run} start the container only after that, so output the container
     * writes between this call and {@link Attachment#run} must be kept for the attachment.
     */
    Attachment attach(String ref, AttachQuery query);

    /** An attachment registered by {@link #attach}. */
    interface Attachment {
        /**
         * Pumps the client's {@code stdin} to the container and its output to {@code out}
         * until the container's streams end, the detach keys arrive, or the client goes away.
         */
        void run(InputStream stdin, StdSink out) throws IOException;
    }

    /**
     * Registers a wait for {@code condition} and returns without blocking: the route sends
     * the response headers only after this returns, because {@code docker run} starts the
     * container as soon as it sees them and a NEXT_EXIT wait must not miss that exit.
     */
    PendingWait wait(String ref, WaitCondition condition);

    /** A registered wait. */
    interface PendingWait {
        /** Blocks until the condition holds; returns the exit code (and a wait error if any). */
        ContainerWaitResponse await() throws InterruptedException;
    }

    /** Removes the container: {@code force} kills a running one, {@code volumes} removes its anonymous volumes. */
    void remove(String ref, boolean force, boolean volumes, boolean link);

    /** Describes {@code path} inside the container (archive HEAD and the header of archive GET). */
    PathStat statPath(String ref, String path);

    /** Writes {@code path} (a file or a directory tree) as a tar archive. */
    void getArchive(String ref, String path, OutputStream tar) throws IOException;

    /**
     * Extracts the tar archive {@code tar} into directory {@code path}; {@code noOverwriteDirNonDir}
     * refuses to replace a directory by a non-directory or the reverse; {@code copyUidGid} keeps
     * the archive's owners instead of the container's root.
     */
    void putArchive(String ref, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) throws IOException;

    /** Removes stopped containers matching {@code filters} (until, label). */
    ContainerPruneResponse prune(Filters filters);

    /** Creates an image from a container's changes ({@code POST /commit}); returns the image id. */
    IdResponse commit(CommitRequest request);
}
