package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.backend.ExecApi;
import dev.gantry.api.docker.http.StdSink;
import dev.gantry.api.docker.http.StdStream;
import dev.gantry.api.docker.model.ExecConfig;
import dev.gantry.api.docker.model.ExecInspect;
import dev.gantry.api.docker.model.ExecStartConfig;
import dev.gantry.api.docker.model.IdResponse;
import dev.gantry.engine.Engine;
import dev.gantry.engine.ExecRequest;
import dev.gantry.engine.LogStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ExecApi} over the engine's exec. The client's stdin reaches the process only when the
 * exec was created with {@code AttachStdin} ({@code docker exec -i}); otherwise the process
 * reads /dev/null, as with Docker.
 */
public final class ExecAdapter implements ExecApi {
    private final Engine engine;
    private final Map<String, Boolean> attachStdin = new ConcurrentHashMap<>();

    public ExecAdapter(Engine engine) {
        this.engine = engine;
    }

    @Override
    public IdResponse create(String containerRef, ExecConfig c) {
        String id = engine.execCreate(containerRef, new ExecRequest(c.cmd(), c.env(), c.user(), c.workingDir(),
                Boolean.TRUE.equals(c.tty()), Boolean.TRUE.equals(c.privileged())));
        attachStdin.put(id, Boolean.TRUE.equals(c.attachStdin()));
        return new IdResponse(id);
    }

    @Override
    public void start(String execId, ExecStartConfig config, InputStream stdin, StdSink out) {
        boolean withStdin = Boolean.TRUE.equals(attachStdin.remove(execId));
        engine.execStart(execId, withStdin ? stdin : null, (stream, data, off, len) ->
                out.write(stream == LogStream.STDERR ? StdStream.STDERR : StdStream.STDOUT, data, off, len));
    }

    @Override
    public void startDetached(String execId, ExecStartConfig config) {
        attachStdin.remove(execId);
        // The engine's exec blocks until the process exits; a detached exec runs it on its own thread.
        Thread.ofVirtual().name("exec-" + execId.substring(0, 12)).start(() -> {
            try {
                engine.execStart(execId, null, (stream, data, off, len) -> { });
            } catch (RuntimeException e) {
                System.err.println("gantryd: detached exec " + execId + ": " + e.getMessage());
            }
        });
    }

    @Override
    public void resize(String execId, int height, int width) {
        engine.execResize(execId, height, width);
    }

    @Override
    public ExecInspect inspect(String execId) {
        var e = engine.execInspect(execId);
        var r = e.request();
        List<String> cmd = r.cmd();
        return new ExecInspect(!e.running(), e.containerId(), "", e.exitCode(), e.id(), true, false, true,
                new ExecInspect.ProcessConfig(cmd.subList(1, cmd.size()), cmd.getFirst(), r.privileged(), r.tty(),
                        r.user() == null ? "" : r.user()),
                e.running(), e.pid());
    }
}
