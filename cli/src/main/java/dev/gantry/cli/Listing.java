package dev.gantry.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * A listing command's output: {@code -q} prints one field per row; {@code --format} goes
 * through {@link Formatter}; otherwise the command's default columns are laid out by
 * {@link Table} directly, without parsing a template (the common case stays on the fast path).
 */
final class Listing {
    private Listing() {}

    static void print(PrintStream out, Args a, List<Row> rows, List<String> columns, Map<String, String> titles, String quietField) {
        if (a.bool("quiet")) {
            for (Row r : rows) {
                out.println(r.get(quietField));
            }
            return;
        }
        String format = a.value("format");
        if (format != null && !format.isEmpty() && !format.equals("table")) {
            Formatter.rows(out, format, rows, titles);
            return;
        }
        Table t = new Table();
        StringBuilder header = new StringBuilder();
        for (String c : columns) {
            header.append(header.isEmpty() ? "" : "\t").append(titles.get(c));
        }
        t.line(header.toString());
        StringBuilder line = new StringBuilder();
        for (Row r : rows) {
            line.setLength(0);
            for (String c : columns) {
                line.append(line.isEmpty() ? "" : "\t").append(r.get(c));
            }
            t.line(line.toString());
        }
        t.print(out);
    }
}
