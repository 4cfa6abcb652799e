package dev.gantry.api.docker;

import dev.gantry.api.docker.backend.ExecApi;
import dev.gantry.api.docker.http.StdSink;
import dev.gantry.api.docker.http.StdStream;
import dev.gantry.api.docker.model.ExecConfig;
import dev.gantry.api.docker.model.ExecInspect;
import dev.gantry.api.docker.model.ExecStartConfig;
import dev.gantry.api.docker.model.IdResponse;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Execs that do not run anything: {@code cat} echoes stdin to stdout; any other command
 * prints "ran: <command>" on stdout and "note" on stderr, and exits with 3.
 */
public final class FakeExec implements ExecApi {
    private final Map<String, ExecConfig> execs = new ConcurrentHashMap<>();
    private final Map<String, Integer> exitCodes = new ConcurrentHashMap<>();

    @Override
    public IdResponse create(String containerRef, ExecConfig config) {
        if (!containerRef.equals("web") && !FakeContainers.WEB_ID.startsWith(containerRef)) {
            throw GantryException.notFound("No such container: " + containerRef);
        }
        String id = "%064x".formatted(execs.size() + 1);
        execs.put(id, config);
        return new IdResponse(id);
    }

    @Override
    public void start(String execId, ExecStartConfig config, InputStream stdin, StdSink out) throws IOException {
        ExecConfig exec = config(execId);
        if (exec.cmd().getFirst().equals("cat")) {
            byte[] buf = new byte[4096];
            for (int n; (n = stdin.read(buf)) > 0; ) {
                out.write(StdStream.STDOUT, buf, 0, n);
            }
            exitCodes.put(execId, 0);
            return;
        }
        out.write(StdStream.STDOUT, ("ran: " + String.join(" ", exec.cmd()) + "\n").getBytes(StandardCharsets.UTF_8));
        out.write(StdStream.STDERR, "note\n".getBytes(StandardCharsets.UTF_8));
        exitCodes.put(execId, 3);
    }

    @Override
    public void startDetached(String execId, ExecStartConfig config) {
        config(execId);
        exitCodes.put(execId, 0);
    }

    @Override
    public void resize(String execId, int height, int width) {
        config(execId);
    }

    @Override
    public ExecInspect inspect(String execId) {
        ExecConfig exec = config(execId);
        boolean tty = Boolean.TRUE.equals(exec.tty());
        Integer exit = exitCodes.get(execId);
        return new ExecInspect(false, FakeContainers.WEB_ID, "", exit, execId, true, Boolean.TRUE.equals(exec.attachStdin()), true,
                new ExecInspect.ProcessConfig(exec.cmd().subList(1, exec.cmd().size()), exec.cmd().getFirst(), false, tty, ""),
                exit == null, exit == null ? 0 : 4242);
    }

    private ExecConfig config(String execId) {
        ExecConfig c = execs.get(execId);
        if (c == null) {
            throw GantryException.notFound("No such exec instance: " + execId);
        }
        return c;
    }
}
