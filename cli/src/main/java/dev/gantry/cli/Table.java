package dev.gantry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Column alignment as docker's table output gets it from Go's text/tabwriter with
 * {@code minwidth 10, padding 3}: each tab-terminated cell is padded with spaces to the widest
 * cell of its column plus three, and to at least ten; the last cell of a line is not padded.
 * Widths count code points, as tabwriter counts runes.
 */
final class Table {
    private static final int MIN_WIDTH = 10;
    private static final int PADDING = 3;

    private final List<String[]> lines = new ArrayList<>();

    /** Adds one line; tabs separate its cells. */
    void line(String text) {
        lines.add(text.split("\t", -1));
    }

    void print(PrintStream out) {
        List<Integer> widths = new ArrayList<>();
        for (String[] cells : lines) {
            for (int c = 0; c < cells.length - 1; c++) {
                int w = Math.max(MIN_WIDTH, cells[c].codePointCount(0, cells[c].length()) + PADDING);
                if (widths.size() <= c) {
                    widths.add(w);
                } else if (widths.get(c) < w) {
                    widths.set(c, w);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] cells : lines) {
            sb.setLength(0);
            for (int c = 0; c < cells.length; c++) {
                sb.append(cells[c]);
                if (c < cells.length - 1) {
                    sb.repeat(' ', widths.get(c) - cells[c].codePointCount(0, cells[c].length()));
                }
            }
            // tabwriter leaves trailing blanks only where a line's last cell is padded: strip none.
            out.print(sb);
            out.print('\n');
        }
    }
}
