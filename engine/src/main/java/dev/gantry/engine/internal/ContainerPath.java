package dev.gantry.engine.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A path as {@code docker cp} names it inside a container, cleaned lexically: {@code clean} is
 * absolute with no ".", ".." or empty components ({@code ..} stops at "/"). {@code follow} is
 * true when the path ends in "/" or "/.": its final symlink, if any, is followed. {@code name}
 * is the last component ("." for a path ending in "/.", "/" for the root).
 */
record ContainerPath(String clean, boolean follow, String name) {

    static ContainerPath of(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        String clean = "/" + String.join("/", parts);
        boolean follow = path.endsWith("/") || path.endsWith("/.") || path.equals(".");
        String name = path.endsWith("/.") ? "." : parts.isEmpty() ? "/" : parts.getLast();
        return new ContainerPath(clean, follow, name);
    }

    /** The parent directory's clean path ("/" for the root and its children). */
    String parent() {
        int i = clean.lastIndexOf('/');
        return i <= 0 ? "/" : clean.substring(0, i);
    }

    /** {@code clean} without its leading "/" ("." for the root), for lookups relative to the root fd. */
    String relative() {
        return clean.equals("/") ? "." : clean.substring(1);
    }
}
