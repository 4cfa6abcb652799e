package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Mount points of the test JVM's mount namespace, from proc(5)'s {@code /proc/self/mountinfo}. */
public final class Mountinfo {
    private Mountinfo() {
    }

    public static List<String> mountPoints() {
        try {
            return mountPoints(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/mountinfo", e);
        }
    }

    /** The fifth field of each line, with the kernel's octal escapes (space, tab, newline, backslash) undone. */
    static List<String> mountPoints(String mountinfo) {
        return mountinfo.lines()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > 4)
                .map(fields -> unescape(fields[4]))
                .toList();
    }

    /** Mount points equal to {@code dir} or below it. */
    public static List<String> under(Path dir) {
        String prefix = dir.toString();
        return mountPoints().stream()
                .filter(point -> point.equals(prefix) || point.startsWith(prefix + "/"))
                .toList();
    }

    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
