package dev.gantry.template;

/**
 * A template that cannot be parsed or executed. The message reads like Go's:
 * {@code template: LINE:COLUMN: what went wrong}, with 1-based line and column (in characters)
 * of the offending token or action; execution errors add {@code executing at <ACTION>:}.
 *
 * <p>Unchecked because a bad {@code --format} is a user error the CLI reports once, at its top.
 */
public final class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    /** An error without a position, e.g. thrown by a {@link TemplateObject} or {@link TemplateFunction}. */
    public TemplateException(String message) {
        super(message);
        this.line = 0;
        this.column = 0;
    }

    TemplateException(int line, int column, String message) {
        super("template: " + line + ":" + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    /** The error at character offset {@code offset} of template text {@code src}. */
    static TemplateException at(String src, int offset, String message) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(offset, src.length());
        for (int i = 0; i < end; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new TemplateException(line, end - lineStart + 1, message);
    }

    /** 1-based line of the error in the template text, or 0 when the error carries no position. */
    public int line() {
        return line;
    }

    /** 1-based column of the error in the template text, or 0 when the error carries no position. */
    public int column() {
        return column;
    }
}
