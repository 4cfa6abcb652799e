package dev.gantry.api.docker;

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
import dev.gantry.api.docker.model.ContainerConfig;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A fixed set of containers for route and interop tests. Containers named {@code tty*} have
 * a TTY. Attach echoes stdin back as stdout; logs write two lines (one per stream); methods
 * these tests do not drive throw UnsupportedOperationException.
 */
public final class FakeContainers implements ContainerApi {
    public static final String WEB_ID = "4f1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef";
    public static final String DB_ID = "9a8b7c6d5e4f30211203f4e5d6c7b8a90123456789abcdef0123456789abcdef";

    public final List<ContainerCreateRequest> created = new CopyOnWriteArrayList<>();
    public final List<ContainerListQuery> listQueries = new CopyOnWriteArrayList<>();
    public final CountDownLatch logsInterrupted = new CountDownLatch(1);
    /** Export writes without end; these record how far it got and that the client's leaving stopped it. */
    public final java.util.concurrent.atomic.AtomicLong exportedBytes = new java.util.concurrent.atomic.AtomicLong();
    public final CountDownLatch exportFailed = new CountDownLatch(1);

    private final List<ContainerSummary> containers = List.of(
            new ContainerSummary(WEB_ID, List.of("/web"), "nginx:1.25", "sha256:aa", "nginx -g 'daemon off;'", 1_700_000_000L,
                    List.of(new ContainerSummary.Port("0.0.0.0", 80, 8080, "tcp")), null, null, Map.of("tier", "front"), "running",
                    "Up 5 minutes", new ContainerSummary.HostConfigSummary("default", null), null, List.of()),
            new ContainerSummary(DB_ID, List.of("/db"), "postgres:16", "sha256:bb", "postgres", 1_699_990_000L, List.of(), null, null,
                    Map.of(), "exited", "Exited (0) 2 hours ago", new ContainerSummary.HostConfigSummary("none", null), null, List.of()));

    /** When set, list throws it: a fault under a route. */
    public volatile Error listFault;

    @Override
    public List<ContainerSummary> list(ContainerListQuery query) {
        listQueries.add(query);
        if (listFault != null) {
            throw listFault;
        }
        return containers.stream()
                .filter(c -> query.all() || c.state().equals("running"))
                .filter(c -> query.filters().matches("status", c.state()))
                .toList();
    }

    /** What a "big..." container writes to an attached client: a multiple of 32 KiB. */
    static final int BIG_OUTPUT = 8 * 1024 * 1024;

    @Override
    public ContainerInspect inspect(String ref, boolean size) {
        boolean tty = ref.startsWith("tty");
        if (!ref.startsWith("tty") && !ref.startsWith("echo") && !ref.startsWith("big") && !ref.equals("web")
                && !WEB_ID.startsWith(ref)) {
            throw GantryException.notFound("No such container: " + ref);
        }
        var config = new ContainerConfig(null, null, null, null, null, null, null, tty, null, null, null, List.of("sh"), null, null,
                "busybox", null, null, null, null, null, null, null, null, null, null);
        return new ContainerInspect(WEB_ID, null, "sh", List.of(), null, "sha256:aa", null, null, null, null, "/" + ref, 0, "overlay2",
                "linux", null, null, null, null, null, null, null, null, null, config, null);
    }

    @Override
    public ContainerCreateResponse create(String name, String platform, ContainerCreateRequest request) {
        created.add(request);
        return new ContainerCreateResponse(WEB_ID, List.of());
    }

    @Override
    public void logs(String ref, LogQuery query, StdSink out) throws IOException {
        inspect(ref, false);
        out.write(StdStream.STDOUT, "out line\n".getBytes(StandardCharsets.UTF_8));
        out.write(StdStream.STDERR, "err line\n".getBytes(StandardCharsets.UTF_8));
        if (query.follow()) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                logsInterrupted.countDown();
            }
        }
    }

    @Override
    public Attachment attach(String ref, AttachQuery query) {
        inspect(ref, false);
        if (ref.startsWith("big")) {
            // BIG_OUTPUT bytes of output and no input, like `docker run image big-output`.
            return (InputStream stdin, StdSink out) -> {
                byte[] buf = new byte[32 * 1024];
                for (int sent = 0; sent < BIG_OUTPUT; sent += buf.length) {
                    out.write(StdStream.STDOUT, buf, 0, buf.length);
                }
            };
        }
        return (InputStream stdin, StdSink out) -> {
            byte[] buf = new byte[4096];
            for (int n; (n = stdin.read(buf)) > 0; ) {
                out.write(StdStream.STDOUT, buf, 0, n);
            }
        };
    }

    @Override
    public PendingWait wait(String ref, WaitCondition condition) {
        inspect(ref, false);
        return () -> new ContainerWaitResponse(3, null);
    }

    @Override
    public ContainerTopResponse top(String ref, String psArgs) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public List<FilesystemChange> changes(String ref) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void export(String ref, OutputStream tar) throws IOException {
        byte[] block = new byte[64 * 1024];
        try {
            while (true) {
                tar.write(block);
                exportedBytes.addAndGet(block.length);
            }
        } catch (IOException e) {
            exportFailed.countDown();
            throw e;
        }
    }

    @Override
    public void stats(String ref, boolean stream, Sink<ContainerStats> out) {
        throw GantryException.conflict("container " + ref + " is not running");
    }

    @Override
    public void resize(String ref, int height, int width) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public boolean start(String ref) {
        inspect(ref, false);
        return !ref.equals("web");
    }

    @Override
    public boolean stop(String ref, String signal, Integer timeoutSeconds) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void restart(String ref, String signal, Integer timeoutSeconds) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void kill(String ref, String signal) {
        inspect(ref, false);
        throw GantryException.conflict("Container " + ref + " is not running");
    }

    @Override
    public ContainerUpdateResponse update(String ref, ContainerUpdateRequest request) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void rename(String ref, String newName) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void pause(String ref) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void unpause(String ref) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void remove(String ref, boolean force, boolean volumes, boolean link) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public PathStat statPath(String ref, String path) {
        inspect(ref, false);
        return new PathStat("hosts", 12, 0644, "2024-01-01T00:00:00Z", "");
    }

    @Override
    public void getArchive(String ref, String path, OutputStream tar) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void putArchive(String ref, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public ContainerPruneResponse prune(Filters filters) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public IdResponse commit(CommitRequest request) {
        throw new UnsupportedOperationException("not used by these tests");
    }
}
