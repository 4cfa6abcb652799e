package dev.gantry.template;

import java.util.List;

/**
 * The parse tree of a template, after Go's text/template/parse. Every node keeps its offset in
 * the template text so that execution errors can name line and column.
 */
sealed interface Node {
    int pos();

    /** Literal text between actions, copied to the output. */
    record Text(int pos, String text) implements Node {}

    /** {@code {{pipeline}}}: prints the pipeline's value unless it declares variables. */
    record Action(int pos, Pipe pipe) implements Node {}

    /** {@code {{if}}}, {@code {{with}}} or {@code {{range}}}: a body, and an optional else body. */
    record Control(int pos, Kind kind, Pipe pipe, List<Node> body, List<Node> orElse) implements Node {
        enum Kind { IF, WITH, RANGE }
    }

    /** {@code {{template "name" pipeline}}} (also what {@code {{block}}} leaves in place). */
    record Call(int pos, String name, Pipe pipe) implements Node {}

    /** {@code {{break}}} or {@code {{continue}}} inside a range. */
    record Jump(int pos, boolean isBreak) implements Node {}

    /**
     * {@code $a, $b := cmd | cmd}: the variables it declares (or assigns, with {@code =}) and its
     * commands; each command's value is the last argument of the next.
     */
    record Pipe(int pos, boolean isAssign, List<String> decl, List<Command> cmds) {}

    /** A command: a value, or a function or method followed by its arguments. */
    record Command(int pos, List<Arg> args) {}

    /** An operand of a command; {@code src} is its text, shown in execution errors. */
    sealed interface Arg {
        int pos();

        String src();
    }

    /** {@code .A.B}: field chain on dot. */
    record Field(int pos, String src, List<String> names) implements Arg {}

    /** {@code $x.A.B}: a variable and an optional field chain. */
    record Variable(int pos, String src, String name, List<String> names) implements Arg {}

    /** {@code (pipeline).A.B}: fields of a parenthesized pipeline. */
    record Chain(int pos, String src, Arg node, List<String> names) implements Arg {}

    /** A function name. */
    record Identifier(int pos, String src, String name) implements Arg {}

    /** {@code (pipeline)}. */
    record Parens(int pos, String src, Pipe pipe) implements Arg {}

    /** {@code .} itself. */
    record Dot(int pos, String src) implements Arg {}

    /** {@code nil}. */
    record Nil(int pos, String src) implements Arg {}

    /** A string, number or boolean constant; {@code value} is a String, Long, Double or Boolean. */
    record Literal(int pos, String src, Object value) implements Arg {}
}
