package dev.gantry.api.docker.backend;

import dev.gantry.api.docker.http.StdSink;
import dev.gantry.api.docker.model.ExecConfig;
import dev.gantry.api.docker.model.ExecInspect;
import dev.gantry.api.docker.model.ExecStartConfig;
import dev.gantry.api.docker.model.IdResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * Extra processes in running containers ({@code docker exec}). An <em>exec id</em> is the
 * 64-hex id that {@link #create} returns; the container is named by a reference as in
 * {@link ContainerApi}. Unknown exec ids are NOT_FOUND ("No such exec instance: x"); an exec
 * started twice, or in a paused or stopped container, is CONFLICT. Threading and
 * cancellation as in {@link ContainerApi}.
 */
public interface ExecApi {
    IdResponse create(String containerRef, ExecConfig config);

    /**
     * Starts the exec attached: pumps {@code stdin} to the process and its output to
     * {@code out} until the process exits (and its output is drained) or the client goes
     * away. Called after the connection was hijacked.
     */
    void start(String execId, ExecStartConfig config, InputStream stdin, StdSink out) throws IOException;

    /** Starts the exec with no client attached; returns once it is running. */
    void startDetached(String execId, ExecStartConfig config);

    void resize(String execId, int height, int width);

    ExecInspect inspect(String execId);
}
