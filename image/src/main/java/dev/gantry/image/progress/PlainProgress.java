package dev.gantry.image.progress;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Progress as plain lines, for logs and pipes: one line per state change and one per tenth of
 * a layer transferred.
 */
public final class PlainProgress implements ProgressListener {
    private final PrintStream out;
    private final Map<String, Integer> tenths = new ConcurrentHashMap<>();

    public PlainProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEvent(ProgressEvent e) {
        String line = switch (e) {
            case ProgressEvent.Exists x -> x.id() + ": already exists";
            case ProgressEvent.Started s -> s.id() + ": transferring " + Sizes.human(s.total());
            case ProgressEvent.Advanced a -> {
                int t = a.total() <= 0 ? 0 : (int) (a.done() * 10 / a.total());
                Integer prev = tenths.put(a.id(), t);
                yield prev != null && prev == t ? null : a.id() + ": " + Sizes.human(a.done()) + " / " + Sizes.human(a.total());
            }
            case ProgressEvent.Completed c -> c.id() + ": complete";
            case ProgressEvent.Mounted m -> m.id() + ": mounted from " + m.from();
            case ProgressEvent.Extracting x -> x.id() + ": extracting";
            case ProgressEvent.Extracted x -> x.id() + ": extracted";
        };
        if (line != null) {
            synchronized (out) {
                out.println(line);
            }
        }
    }
}
