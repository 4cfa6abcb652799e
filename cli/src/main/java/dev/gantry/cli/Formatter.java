package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.template.Template;
import dev.gantry.template.TemplateException;
import dev.gantry.template.TemplateObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --format}: a Go template run once per item (Gantry's template module), the special
 * forms {@code json} (one JSON object per line) and {@code table} (a header row, then the rows,
 * aligned by {@link Table}), as docker's formatter handles them. The header is the template run
 * on an object whose every field is its column title ({@code .ID} → CONTAINER ID).
 */
public final class Formatter {
    private Formatter() {}

    /** Prints {@code rows} through {@code format} (never null: commands pass their default). */
    public static void rows(PrintStream out, String format, List<Row> rows, Map<String, String> headers) {
        String f = format;
        boolean table = false;
        if (f.startsWith("table")) {
            table = true;
            f = f.substring("table".length());
        }
        // As docker's formatter: outer spaces trimmed, a typed backslash-t or backslash-n is a tab or newline.
        f = f.strip().replace("\\t", "\t").replace("\\n", "\n");
        if (f.isEmpty()) {
            f = "{{json .}}";
        }
        String trimmed = f.strip();
        if (trimmed.equals("json") || trimmed.equals("{{json .}}")) {
            for (Row r : rows) {
                out.println(Json.write(r.fields()));
            }
            return;
        }
        Template t = parse(f);
        if (!table) {
            for (Row r : rows) {
                out.println(execute(t, r));
            }
            return;
        }
        Table tab = new Table();
        tab.line(execute(t, new Header(headers)));
        for (Row r : rows) {
            for (String line : execute(t, r).split("\n", -1)) {
                tab.line(line);
            }
        }
        tab.print(out);
    }

    /** Prints each of {@code items} (inspect's JSON objects) through {@code format}, one per line. */
    public static void each(PrintStream out, String format, List<Object> items) {
        if (format.strip().equals("json")) {
            for (Object o : items) {
                out.println(Json.write(o));
            }
            return;
        }
        Template t = parse(format);
        for (Object o : items) {
            out.println(execute(t, o));
        }
    }

    static Template parse(String format) {
        try {
            return Template.parse(format);
        } catch (TemplateException e) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "template parsing error: " + e.getMessage()
                    + " (--format takes a Go template such as '{{.ID}}', or 'json', or 'table {{.ID}}\\t{{.Names}}')");
        }
    }

    private static String execute(Template t, Object data) {
        try {
            return t.execute(data);
        } catch (TemplateException e) {
            throw new GantryException(ErrorKind.INVALID_ARGUMENT, "template: " + e.getMessage());
        }
    }

    /** The header row: each field's column title, upper-cased and spaced when no title is known. */
    private record Header(Map<String, String> titles) implements TemplateObject {
        @Override
        public Object field(String name, List<Object> args) {
            String t = titles.get(name);
            if (t != null) {
                return t;
            }
            return name.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
        }
    }
}
