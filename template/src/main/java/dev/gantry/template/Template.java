package dev.gantry.template;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed {@code --format} template: Gantry's own implementation of the part of Go's
 * text/template that docker's command line uses.
 *
 * <h2>Vocabulary</h2>
 * <ul>
 *   <li><b>text</b> is copied to the output; an <b>action</b> is what stands between
 *       <code>{{</code> and <code>}}</code>. A <b>trim marker</b> (<code>"{{- "</code> or
 *       <code>" -}}"</code>, the space is required) removes the white space on that side of the
 *       action. <code>{{/* comment *&#47;}}</code> prints nothing.</li>
 *   <li><b>dot</b> ({@code .}) is the current value: the data at first, the element inside
 *       {@code range}, the value inside {@code with}. <b>{@code $}</b> is always the data;
 *       {@code $name} is a <b>variable</b> declared with {@code :=} (or assigned with {@code =})
 *       and visible to the {@code end} of the enclosing control structure.</li>
 *   <li>A <b>field</b> {@code .Name} is a map's value for key {@code "Name"} or a
 *       {@link TemplateObject}'s field; a <b>chain</b> {@code .A.B} looks up each in turn. A key a
 *       map does not have is a <b>missing value</b>, printed {@code <no value>} as Go prints it.</li>
 *   <li>A <b>command</b> is a value or a function (or field taking arguments) followed by its
 *       arguments; a <b>pipeline</b> is commands joined by {@code |}, each receiving the previous
 *       value as its last argument; {@code (pipeline)} is a pipeline used as one argument.</li>
 *   <li><b>Truth</b> is Go's: false, 0, null, a missing value and an empty string, list or map
 *       are false; everything else is true.</li>
 *   <li><b>Data</b> is any mix of {@code Map} (string keys), {@code List}, arrays, {@code String},
 *       {@code Number}, {@code Boolean}, null and {@link TemplateObject}. Values print as Go's
 *       {@code %v}: {@code map[a:1 b:2]} (sorted keys), {@code [a b]}, {@code <nil>}.</li>
 *   <li><b>Functions</b>: Go's {@code and or not len index slice print printf println eq ne lt le
 *       gt ge html js urlquery}, docker's {@code json join lower upper title split pad truncate}, and the caller's
 *       {@link TemplateFunction}s, which may replace any of them.</li>
 *   <li><b>Control structures</b>: {@code if}/{@code else if}/{@code else}, {@code with}/
 *       {@code else with}/{@code else}, {@code range} (lists, arrays, maps in key order, integers;
 *       {@code $i, $e :=}; {@code else} when empty; {@code break}, {@code continue}),
 *       {@code define}, {@code template} and {@code block}.</li>
 * </ul>
 *
 * <p>A template is immutable and may be executed many times, from several threads. Parse errors
 * and execution errors are {@link TemplateException}s whose messages give the 1-based line and
 * column, like Go's. {@code docs/cli-format.md} lists the differences from Go.
 */
public final class Template {
    private final String text;
    private final Parser.Parsed parsed;
    private final Map<String, TemplateFunction> functions;

    private Template(String text, Parser.Parsed parsed, Map<String, TemplateFunction> functions) {
        this.text = text;
        this.parsed = parsed;
        this.functions = functions;
    }

    /** Parses {@code text} with the predefined functions only. */
    public static Template parse(String text) {
        return parse(text, Map.of());
    }

    /**
     * Parses {@code text}; {@code extraFuncs} adds functions by name (a name that is also
     * predefined replaces the predefined one). Throws {@link TemplateException} for a syntax error,
     * an undefined function or variable, or a function name that is not an identifier.
     */
    public static Template parse(String text, Map<String, TemplateFunction> extraFuncs) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(extraFuncs, "extraFuncs");
        Set<String> names = new HashSet<>(Builtins.NAMES);
        for (Map.Entry<String, TemplateFunction> e : extraFuncs.entrySet()) {
            if (!isIdentifier(e.getKey())) {
                throw new TemplateException("template: function name " + Fmt.quote(e.getKey()) + " is not a valid identifier");
            }
            if (e.getValue() == null) {
                throw new TemplateException("template: function " + Fmt.quote(e.getKey()) + " is null");
            }
            names.add(e.getKey());
        }
        try {
            return new Template(text, Parser.parse(text, names), Map.copyOf(extraFuncs));
        } catch (StackOverflowError e) {
            // The depth limits keep this away on a default stack; a caller's tiny stack still gets an answer.
            throw new TemplateException("template: nesting too deep for this thread's stack");
        }
    }

    /** Runs the template with {@code data} as dot and {@code $}; returns the output. */
    public String execute(Object data) {
        try {
            return new Exec(text, parsed.defined(), functions).run(parsed.root(), data);
        } catch (StackOverflowError e) {
            throw new TemplateException("template: nesting too deep for this thread's stack");
        }
    }

    /** The template text this was parsed from. */
    public String text() {
        return text;
    }

    private static boolean isIdentifier(String name) {
        if (name == null || name.isEmpty() || List.of("if", "else", "end", "range", "with", "define", "template",
                "block", "break", "continue", "true", "false", "nil").contains(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '_' || Character.isLetter(c) || (i > 0 && Character.isDigit(c)))) {
                return false;
            }
        }
        return true;
    }
}
