package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.backend.AttachQuery;
import dev.gantry.api.docker.backend.CommitRequest;
import dev.gantry.api.docker.backend.ContainerApi;
import dev.gantry.api.docker.backend.ContainerListQuery;
import dev.gantry.api.docker.backend.LogQuery;
import dev.gantry.api.docker.backend.Sink;
import dev.gantry.api.docker.backend.WaitCondition;
import dev.gantry.api.docker.http.StdSink;
import dev.gantry.api.docker.http.StdStream;
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
import dev.gantry.base.GantryException;
import dev.gantry.engine.AttachOptions;
import dev.gantry.engine.Change;
import dev.gantry.engine.Container;
import dev.gantry.engine.Health;
import java.util.Optional;
import dev.gantry.engine.Engine;
import dev.gantry.engine.ExitResult;
import dev.gantry.engine.LogOptions;
import dev.gantry.engine.LogStream;
import dev.gantry.engine.PruneResult;
import dev.gantry.engine.ResourceChange;
import dev.gantry.engine.RestartPolicy;
import dev.gantry.engine.Stats;
import dev.gantry.engine.Status;
import dev.gantry.image.LocalImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ContainerApi} over the {@link Engine}. Attach and resize are the engine's
 * ({@link Engine#attach}: stdin, detach keys, a TTY); stats are the engine's cgroup samples in
 * Docker's shape; update is the engine's. Export and archive (docker cp) have no engine counterpart and answer
 * UNAVAILABLE naming the operation.
 */
public final class ContainerAdapter implements ContainerApi {
    private static final long KILL_WAIT_SECONDS = 10;
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(1);

    private final Engine engine;
    private final ProcessTable processes;

    public ContainerAdapter(Engine engine, ProcessTable processes) {
        this.engine = engine;
        this.processes = processes;
    }

    @Override
    public ContainerCreateResponse create(String name, String platform, ContainerCreateRequest request) {
        var created = engine.create(CreateMapping.toEngine(name, request));
        return new ContainerCreateResponse(created.id(), created.warnings());
    }

    @Override
    public List<ContainerSummary> list(ContainerListQuery query) {
        Filters f = query.filters() == null ? Filters.NONE : query.filters();
        boolean all = query.all() || f.has("status") || f.has("exited");
        List<ContainerSummary> out = new ArrayList<>();
        for (Container c : engine.list(all)) {
            Optional<Health> health = engine.health(c.id());
            if (matches(c, f) && f.matches("health", health.map(Health::status).orElse("none"))) {
                out.add(ContainerViews.summary(c, health, engine.networks(), query.size() ? engine.writableLayerSize(c.id()) : null));
                if (query.limit() != null && query.limit() > 0 && out.size() == query.limit()) {
                    break;
                }
            }
        }
        return out;
    }

    /** The filters docker ps offers most: id and name (substring, as Docker), status, exited, label, ancestor. */
    private static boolean matches(Container c, Filters f) {
        if (f.has("id") && f.get("id").stream().noneMatch(c.id()::startsWith)) {
            return false;
        }
        if (f.has("name") && f.get("name").stream().noneMatch(n -> c.name().contains(n.startsWith("/") ? n.substring(1) : n))) {
            return false;
        }
        if (!f.matches("status", c.state().status().wire())) {
            return false;
        }
        if (f.has("exited") && (c.state().status() != Status.EXITED
                || !f.get("exited").contains(Integer.toString(c.state().exitCode())))) {
            return false;
        }
        if (f.has("ancestor") && f.get("ancestor").stream()
                .noneMatch(a -> a.equals(c.imageRef()) || c.imageId().startsWith(a) || c.imageId().equals("sha256:" + a))) {
            return false;
        }
        return f.matchesLabels("label", c.config().labels());
    }

    @Override
    public ContainerInspect inspect(String ref, boolean size) {
        Container c = engine.inspect(ref);
        return ContainerViews.inspect(c, engine.health(c.id()), engine.healthcheck(c.id()), engine.networks());
    }

    @Override
    public ContainerTopResponse top(String ref, String psArgs) {
        Container c = engine.inspect(ref);
        if (!c.state().status().isLive()) {
            throw GantryException.conflict("Container " + c.id() + " is not running");
        }
        return processes.top(c.id());
    }

    @Override
    public void logs(String ref, LogQuery q, StdSink out) throws IOException {
        LogOptions opts = new LogOptions(q.stdout(), q.stderr(), q.follow(), q.tail() == null ? -1 : q.tail(), q.since(), q.until());
        engine.logs(ref, opts, e -> {
            StdStream stream = e.stream() == LogStream.STDERR ? StdStream.STDERR : StdStream.STDOUT;
            if (q.timestamps()) {
                byte[] stamp = (Wire.nanos(e.time()) + " ").getBytes(StandardCharsets.US_ASCII);
                byte[] line = new byte[stamp.length + e.line().length];
                System.arraycopy(stamp, 0, line, 0, stamp.length);
                System.arraycopy(e.line(), 0, line, stamp.length, e.line().length);
                out.write(stream, line);
            } else {
                out.write(stream, e.line());
            }
        });
    }

    @Override
    public List<FilesystemChange> changes(String ref) {
        return engine.changes(ref).stream().map(ContainerAdapter::change).toList();
    }

    private static FilesystemChange change(Change c) {
        int kind = switch (c.kind()) {
            case C -> FilesystemChange.MODIFIED;
            case A -> FilesystemChange.ADDED;
            case D -> FilesystemChange.DELETED;
        };
        return new FilesystemChange(c.path(), kind);
    }

    @Override
    public void export(String ref, OutputStream tar) {
        engine.export(ref, tar);
    }

    @Override
    public void stats(String ref, boolean stream, Sink<ContainerStats> out) throws IOException {
        // Each message carries the previous sample as precpu_stats, one second apart (as dockerd's
        // collector), so that even a one-shot answer has a CPU percentage.
        Stats previous = engine.stats(ref);
        try {
            do {
                Thread.sleep(STATS_INTERVAL);
                Stats now;
                try {
                    now = engine.stats(ref);
                } catch (GantryException e) {
                    if (e.kind() == dev.gantry.base.ErrorKind.NOT_FOUND) {
                        return;
                    }
                    throw e;
                }
                out.accept(StatsView.of(now, previous));
                previous = now;
            } while (stream);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void resize(String ref, int height, int width) {
        engine.resize(ref, height, width);
    }

    @Override
    public boolean start(String ref) {
        return engine.start(ref);
    }

    @Override
    public boolean stop(String ref, String signal, Integer timeoutSeconds) {
        return engine.stop(ref, signal, timeout(timeoutSeconds));
    }

    @Override
    public void restart(String ref, String signal, Integer timeoutSeconds) {
        engine.restart(ref, timeout(timeoutSeconds));
    }

    private static Duration timeout(Integer seconds) {
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    @Override
    public void kill(String ref, String signal) {
        if (!isSigkill(signal)) {
            engine.kill(ref, signal);
            return;
        }
        // Docker's kill with SIGKILL returns once the container is down, so that a following
        // inspect or rm sees it stopped; registered first so the exit cannot be missed.
        CompletableFuture<ExitResult> exited = engine.wait(ref, dev.gantry.engine.WaitCondition.NEXT_EXIT);
        try {
            engine.kill(ref, signal);
            exited.get(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The signal was sent; a container that is slow to be reaped is reported by inspect as it is.
        } finally {
            exited.cancel(false);
        }
    }

    private static boolean isSigkill(String signal) {
        return signal == null || signal.isEmpty() || signal.equals("9") || signal.equalsIgnoreCase("KILL")
                || signal.equalsIgnoreCase("SIGKILL");
    }

    @Override
    public ContainerUpdateResponse update(String ref, ContainerUpdateRequest request) {
        var r = request.resources();
        RestartPolicy policy = null;
        if (request.restartPolicy() != null && request.restartPolicy().name() != null && !request.restartPolicy().name().isEmpty()) {
            RestartPolicy parsed = RestartPolicy.parse(request.restartPolicy().name());
            int retries = request.restartPolicy().maximumRetryCount() == null ? 0 : request.restartPolicy().maximumRetryCount();
            policy = retries > 0 ? new RestartPolicy(parsed.name(), retries) : parsed;
        }
        // The CLI sends 0 for every flag it was not given: 0 means "unchanged" here, as in dockerd.
        ResourceChange change = r == null ? new ResourceChange(null, null, null, null, null, null, policy)
                : new ResourceChange(positive(r.memory()), nonZero(r.memorySwap()), positive(r.nanoCpus()), positive(r.cpuShares()),
                        r.cpusetCpus() == null || r.cpusetCpus().isEmpty() ? null : r.cpusetCpus(), nonZero(r.pidsLimit()), policy);
        return new ContainerUpdateResponse(engine.update(ref, change));
    }

    private static Long positive(Long v) {
        return v == null || v <= 0 ? null : v;
    }

    private static Long nonZero(Long v) {
        return v == null || v == 0 ? null : v;
    }

    @Override
    public void rename(String ref, String newName) {
        engine.rename(ref, newName);
    }

    @Override
    public void pause(String ref) {
        engine.pause(ref);
    }

    @Override
    public void unpause(String ref) {
        engine.unpause(ref);
    }

    @Override
    public Attachment attach(String ref, AttachQuery query) {
        dev.gantry.engine.Attachment a = engine.attach(ref, new AttachOptions(query.stdin(), query.stdout(), query.stderr(),
                query.stream(), query.logs(), query.detachKeys()));
        return (stdin, out) -> a.run(stdin, (stream, data, off, len) ->
                out.write(stream == LogStream.STDERR ? StdStream.STDERR : StdStream.STDOUT, data, off, len));
    }

    @Override
    public PendingWait wait(String ref, WaitCondition condition) {
        CompletableFuture<ExitResult> f = engine.wait(ref, switch (condition) {
            case NOT_RUNNING -> dev.gantry.engine.WaitCondition.NOT_RUNNING;
            case NEXT_EXIT -> dev.gantry.engine.WaitCondition.NEXT_EXIT;
            case REMOVED -> dev.gantry.engine.WaitCondition.REMOVED;
        });
        return () -> {
            try {
                ExitResult r = f.get();
                return new ContainerWaitResponse(r.exitCode(),
                        r.error() == null || r.error().isEmpty() ? null : new ContainerWaitResponse.WaitError(r.error()));
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } finally {
                f.cancel(false);
            }
        };
    }

    @Override
    public void remove(String ref, boolean force, boolean volumes, boolean link) {
        if (link) {
            throw GantryException.invalid("link: gantryd has no container links to remove");
        }
        engine.remove(ref, force, volumes);
    }

    @Override
    public PathStat statPath(String ref, String path) {
        return PathStats.of(engine.statPath(ref, path));
    }

    @Override
    public void getArchive(String ref, String path, OutputStream tar) {
        engine.getArchive(ref, path, tar);
    }

    @Override
    public void putArchive(String ref, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        engine.putArchive(ref, path, tar, noOverwriteDirNonDir, copyUidGid);
    }

    @Override
    public ContainerPruneResponse prune(Filters filters) {
        if (filters != null && !filters.isEmpty()) {
            filters.requireOnly(java.util.Set.of());
        }
        PruneResult r = engine.prune();
        return new ContainerPruneResponse(r.removed(), r.spaceReclaimed());
    }

    @Override
    public IdResponse commit(CommitRequest request) {
        String reference = request.repo() == null || request.repo().isEmpty() ? null
                : request.repo() + ":" + (request.tag() == null || request.tag().isEmpty() ? "latest" : request.tag());
        LocalImage img = engine.commit(request.container(), reference, request.comment(), request.pause(),
                c -> ImageChanges.apply(c, request.changes()));
        return new IdResponse(img.id().toString());
    }
}
