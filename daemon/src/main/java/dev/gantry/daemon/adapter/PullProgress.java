package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.backend.Sink;
import dev.gantry.api.docker.model.ProgressMessage;
import dev.gantry.image.progress.ProgressEvent;
import dev.gantry.image.progress.ProgressListener;
import java.io.IOException;

/**
 * The image module's progress events as Docker's JSON progress messages ({@code status},
 * {@code id}, {@code progressDetail}, {@code progress}), which the docker CLI draws as its
 * per-layer bars. Events come from several download threads; sending is serialised, and the
 * first failure to send (the client went away) is kept so the operation can end with it.
 */
final class PullProgress implements ProgressListener {
    private static final int BAR = 50;

    private final Sink<ProgressMessage> sink;
    private final boolean push;
    private IOException failure;

    PullProgress(Sink<ProgressMessage> sink, boolean push) {
        this.sink = sink;
        this.push = push;
    }

    @Override
    public synchronized void onEvent(ProgressEvent e) {
        ProgressMessage m = switch (e) {
            case ProgressEvent.Exists x -> ProgressMessage.status(x.id(), push ? "Layer already exists" : "Already exists");
            case ProgressEvent.Started s -> ProgressMessage.status(s.id(), push ? "Preparing" : "Pulling fs layer");
            case ProgressEvent.Advanced a -> new ProgressMessage(a.id(), push ? "Pushing" : "Downloading", bar(a.done(), a.total()),
                    new ProgressMessage.Detail(a.done(), a.total()), null, null, null, null);
            case ProgressEvent.Completed c -> ProgressMessage.status(c.id(), push ? "Pushed" : "Download complete");
            case ProgressEvent.Mounted m2 -> ProgressMessage.status(m2.id(), "Mounted from " + m2.from());
            case ProgressEvent.Extracting x -> ProgressMessage.status(x.id(), "Extracting");
            case ProgressEvent.Extracted x -> ProgressMessage.status(x.id(), "Pull complete");
        };
        send(m);
    }

    synchronized void send(ProgressMessage m) {
        if (failure != null) {
            return;
        }
        try {
            sink.accept(m);
        } catch (IOException gone) {
            failure = gone;
        }
    }

    /** Throws the first send failure, if any. */
    synchronized void check() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    private static String bar(long done, long total) {
        if (total <= 0) {
            return "";
        }
        int filled = (int) Math.min(BAR, done * BAR / total);
        String arrow = filled < BAR ? ">" : "";
        return "[" + "=".repeat(Math.max(0, filled - arrow.length())) + arrow + " ".repeat(BAR - filled) + "] "
                + human(done) + "/" + human(total);
    }

    private static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + "B";
        }
        if (bytes < 1_000_000) {
            return String.format("%.1fkB", bytes / 1e3);
        }
        if (bytes < 1_000_000_000) {
            return String.format("%.1fMB", bytes / 1e6);
        }
        return String.format("%.2fGB", bytes / 1e9);
    }
}
