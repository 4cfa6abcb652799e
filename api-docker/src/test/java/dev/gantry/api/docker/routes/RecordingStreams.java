package dev.gantry.api.docker.routes;

import dev.gantry.api.docker.http.Reply;
import dev.gantry.api.docker.http.ResponseStreams;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Runs a streamed reply's writer into memory. */
final class RecordingStreams {
    private RecordingStreams() {}

    static String run(Reply.Streamed reply) throws Exception {
        var sink = new ByteArrayOutputStream();
        reply.writer().writeTo(ResponseStreams.inMemory(sink));
        return sink.toString(StandardCharsets.UTF_8);
    }
}
