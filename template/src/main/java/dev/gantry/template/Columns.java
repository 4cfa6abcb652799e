package dev.gantry.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-separated table output the way docker does: Go's text/tabwriter with docker's
 * settings (minimum column width 10, padding 3, spaces, cells left-aligned).
 *
 * <p>A <b>cell</b> is text ended by a tab; the text after a line's last tab is not a cell and is
 * printed as it is. A <b>column block</b> is a run of consecutive lines that all have a cell in
 * that column; every cell of a block is padded to the block's widest cell plus the padding. So
 * {@code "CONTAINER ID\tNAMES\nabc\tweb\n"} becomes {@code "CONTAINER ID   NAMES\nabc            web\n"}.
 * The CLI runs a {@code table} template once over the column headers and once per row (each
 * followed by a newline), then passes the whole text here.
 */
public final class Columns {
    private static final int MIN_WIDTH = 10;
    private static final int PADDING = 3;

    private Columns() {}

    /** {@code text} with its tab-separated cells aligned in columns; widths count characters. */
    public static String align(String text) {
        List<String[]> lines = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = text.indexOf('\n', start);
            String line = end < 0 ? text.substring(start) : text.substring(start, end);
            lines.add(line.split("\t", -1));
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        StringBuilder out = new StringBuilder(text.length() + 64);
        format(out, lines, new ArrayList<>(), 0, lines.size());
        return out.toString();
    }

    /**
     * Writes lines {@code [from, to)}: finds the column blocks of the next column (the widths of
     * the columns to its left are known), and recurses into each block for the columns further
     * right, as tabwriter's format does.
     */
    private static void format(StringBuilder out, List<String[]> lines, List<Integer> widths, int from, int to) {
        int column = widths.size();
        int line0 = from;
        int line = from;
        while (line < to) {
            if (column >= lines.get(line).length - 1) {
                line++;
                continue;
            }
            write(out, lines, widths, line0, line);
            line0 = line;
            int width = MIN_WIDTH;
            while (line < to && column < lines.get(line).length - 1) {
                String cell = lines.get(line)[column];
                width = Math.max(width, cell.codePointCount(0, cell.length()) + PADDING);
                line++;
            }
            widths.add(width);
            format(out, lines, widths, line0, line);
            widths.removeLast();
            line0 = line;
        }
        write(out, lines, widths, line0, to);
    }

    private static void write(StringBuilder out, List<String[]> lines, List<Integer> widths, int from, int to) {
        for (int i = from; i < to; i++) {
            String[] cells = lines.get(i);
            for (int j = 0; j < cells.length; j++) {
                out.append(cells[j]);
                if (j < widths.size()) {
                    int pad = widths.get(j) - cells[j].codePointCount(0, cells[j].length());
                    out.append(" ".repeat(Math.max(pad, 0)));
                }
            }
            if (i + 1 < lines.size()) {
                out.append('\n');
            }
        }
    }
}
