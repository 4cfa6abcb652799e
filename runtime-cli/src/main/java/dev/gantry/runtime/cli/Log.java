package dev.gantry.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * runc's logging contract: messages go to stderr, and also to --log in text or in JSON
 * lines ({"level":…,"msg":…,"time":…}), which containerd's shim reads back to report why a
 * command failed.
 */
final class Log {
    private final Path file;
    private final boolean json;
    private final boolean debug;

    Log(Path file, boolean json, boolean debug) {
        this.file = file;
        this.json = json;
        this.debug = debug;
    }

    void error(String msg) {
        write("error", msg);
        System.err.println("gantry-runc: " + msg);
    }

    void warn(String msg) {
        write("warning", msg);
        System.err.println("gantry-runc: warning: " + msg);
    }

    void debug(String msg) {
        if (debug) {
            write("debug", msg);
        }
    }

    private void write(String level, String msg) {
        if (file == null) {
            return;
        }
        String time = Instant.now().toString();
        String line = json
                ? "{\"level\":\"" + level + "\",\"msg\":\"" + escape(msg) + "\",\"time\":\"" + time + "\"}\n"
                : "time=\"" + time + "\" level=" + level + " msg=\"" + escape(msg) + "\"\n";
        try {
            Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("gantry-runc: cannot write log " + file + ": " + e.getMessage());
        }
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
