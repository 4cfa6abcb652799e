package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The daemon's JSON progress messages (pull, push, load, import: one object per line with
 * {@code status}, {@code id}, {@code progressDetail}, {@code stream} or {@code error}) as docker's
 * jsonmessage prints them. On a terminal each layer keeps one line, rewritten in place with its
 * progress bar (cursor-up and erase-line escapes); piped, each status is one plain line and
 * progress updates are left out. An {@code error} message fails the command with its text.
 */
final class Progress {
    private static final int BAR_WIDTH = 50;

    private final PrintStream out;
    private final boolean terminal;
    private final List<String> ids = new ArrayList<>();

    /** @param out where to print, or null to print nothing (quiet) but still fail on errors */
    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void show(InputStream body) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    message(Json.parseObject(line));
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading the daemon's progress: " + e.getMessage());
        }
        if (out != null) {
            out.flush();
        }
    }

    private void message(Map<String, Object> m) {
        if (m.get("error") != null) {
            if (out != null) {
                out.flush();
            }
            throw new DaemonException(ErrorKind.INTERNAL, 500, String.valueOf(m.get("error")));
        }
        if (out == null) {
            return;
        }
        if (m.get("stream") != null) {
            out.print(m.get("stream"));
            return;
        }
        String id = m.get("id") == null ? null : m.get("id").toString();
        String status = m.get("status") == null ? "" : m.get("status").toString();
        String bar = bar(m);
        if (!terminal) {
            if (bar.isEmpty()) {
                out.println(id == null ? status : id + ": " + status);
            }
            return;
        }
        String text = (id == null ? "" : id + ": ") + status + (bar.isEmpty() ? "" : " " + bar);
        int index = id == null ? -1 : ids.indexOf(id);
        if (id != null && index < 0) {
            ids.add(id);
            out.print(text + "\n");
        } else if (id != null) {
            int up = ids.size() - index;
            out.print("\033[" + up + "A\r\033[2K" + text + "\r\033[" + up + "B");
        } else {
            out.print(text + "\n");
        }
        out.flush();
    }

    /** The message's own rendered bar, else one drawn from progressDetail (current/total). */
    static String bar(Map<String, Object> m) {
        if (m.get("progress") instanceof String p && !p.isEmpty()) {
            return p;
        }
        if (!(m.get("progressDetail") instanceof Map<?, ?> d) || !(d.get("current") instanceof Number cur)) {
            return "";
        }
        long current = cur.longValue();
        long total = d.get("total") instanceof Number t ? t.longValue() : 0;
        if (total <= 0) {
            return Units.humanSize(current);
        }
        int filled = (int) Math.min(BAR_WIDTH, current * BAR_WIDTH / total);
        return "[" + "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(BAR_WIDTH - filled) + "]  "
                + Units.humanSize(current) + "/" + Units.humanSize(total);
    }
}
