package dev.gantry.image.progress;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress for a terminal: one line per layer with a bar, redrawn in place with ANSI cursor
 * movement, at most every {@code minIntervalMillis} except on state changes.
 */
public final class TerminalProgress implements ProgressListener {
    private static final int BAR = 40;
    private final PrintStream out;
    private final long minIntervalNanos;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    public TerminalProgress(PrintStream out, long minIntervalMillis) {
        this.out = out;
        this.minIntervalNanos = minIntervalMillis * 1_000_000;
    }

    @Override
    public synchronized void onEvent(ProgressEvent e) {
        String status = switch (e) {
            case ProgressEvent.Exists x -> "Already exists";
            case ProgressEvent.Started s -> "Waiting";
            case ProgressEvent.Advanced a -> bar(a.done(), a.total());
            case ProgressEvent.Completed c -> "Download complete";
            case ProgressEvent.Mounted m -> "Mounted from " + m.from();
            case ProgressEvent.Extracting x -> "Extracting";
            case ProgressEvent.Extracted x -> "Pull complete";
        };
        boolean isNew = !lines.containsKey(e.id());
        lines.put(e.id(), status);
        long now = System.nanoTime();
        if (!(e instanceof ProgressEvent.Advanced) || isNew || now - lastDraw >= minIntervalNanos) {
            redraw();
            lastDraw = now;
        }
    }

    private void redraw() {
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
            sb.append("\u001b[").append(drawn).append('A');
        }
        for (Map.Entry<String, String> l : lines.entrySet()) {
            sb.append("\u001b[2K").append(l.getKey()).append(": ").append(l.getValue()).append('\n');
        }
        drawn = lines.size();
        out.print(sb);
        out.flush();
    }

    static String bar(long done, long total) {
        int filled = total <= 0 ? 0 : (int) Math.min(BAR, done * BAR / total);
        String arrow = filled < BAR ? ">" : "";
        return "Downloading [" + "=".repeat(Math.max(0, filled - arrow.length())) + arrow
                + " ".repeat(BAR - Math.max(filled, arrow.length())) + "] "
                + Sizes.human(done) + "/" + Sizes.human(total);
    }
}
