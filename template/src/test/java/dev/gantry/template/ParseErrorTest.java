package dev.gantry.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a template fails to parse, with the message (line:column and what was expected). */
class ParseErrorTest {
    static Stream<Arguments> errors() {
        return Stream.of(
                // lexical
                arguments("a{{/* open", "1:2: unclosed comment"),
                arguments("{{/* c */ }}", "1:10: comment ends before closing delimiter"),
                arguments("{{/* c */x}}", "1:10: comment ends before closing delimiter"),
                arguments("{{.A", "1:5: unclosed action"),
                arguments("{{(.A}}", "1:6: unclosed left paren"),
                arguments("{{(1 2}}", "1:7: unclosed left paren"),
                arguments("{{.A)}}", "1:5: unexpected right paren"),
                arguments("{{$x : 1}}", "1:6: expected :="),
                arguments("{{\"abc}}", "1:3: unterminated quoted string"),
                arguments("{{\"ab\nc\"}}", "1:3: unterminated quoted string"),
                arguments("{{`abc}}", "1:3: unterminated raw quoted string"),
                arguments("{{'a}}", "1:3: unterminated character constant"),
                arguments("{{.A}", "1:5: bad character U+007D '}'"),
                arguments("{{.A@}}", "1:5: bad character U+0040 '@'"),
                arguments("{{3x}}", "1:3: bad number syntax: \"3x\""),
                arguments("{{1.X}}", "1:3: bad number syntax: \"1.X\""),
                arguments("{{.A \u2603}}", "1:6: unrecognized character in action: U+2603 '\u2603'"),
                arguments("{{.A}}\n\n  {{.B | \u0001}}", "3:10: unrecognized character in action: U+0001"),
                // structure
                arguments("x {{end}}", "1:5: unexpected {{end}}"),
                arguments("{{else}}", "1:3: unexpected {{else}}"),
                arguments("{{if 1}}x", "1:10: unexpected EOF"),
                arguments("{{with 1}}{{else}}", "1:19: unexpected EOF"),
                arguments("{{if 1}}a{{else}}b{{else}}c{{end}}", "1:21: expected end; found {{else}}"),
                arguments("{{range .}}{{else if 1}}{{end}}{{end}}", "1:19: unexpected <if> in input"),
                arguments("{{if 1}}{{else with 2}}{{end}}", "1:16: unexpected <with> in input"),
                arguments("{{with 1}}{{else if 2}}{{end}}", "1:18: unexpected <if> in input"),
                arguments("{{if 1}}{{end 1}}", "1:15: unexpected \"1\" in end"),
                arguments("{{if 1}}{{else 1}}{{end}}", "1:16: unexpected \"1\" in else"),
                arguments("{{continue}}", "1:3: {{continue}} outside {{range}}"),
                arguments("{{break}}", "1:3: {{break}} outside {{range}}"),
                arguments("{{range .}}{{define \"x\"}}{{end}}{{end}}", "1:14: unexpected <define> in command"),
                arguments("{{range .}}{{block \"b\" .}}{{break}}{{end}}{{end}}", "1:29: {{break}} outside {{range}}"),
                arguments("{{range .}}{{break 1}}{{end}}", "1:20: unexpected \"1\" in {{break}}"),
                // define, template, block
                arguments("{{define 3}}{{end}}", "1:10: unexpected \"3\" in define clause"),
                arguments("{{define \"a\" 1}}{{end}}", "1:14: unexpected \"1\" in define clause"),
                arguments("{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}", "1:32: multiple definition of template \"a\""),
                arguments("{{define \"b\"}}x{{end}}{{block \"b\" .}}y{{end}}", "1:31: multiple definition of template \"b\""),
                arguments("{{define \"a\"}}x{{else}}y{{end}}", "1:18: unexpected {{else}} in define clause"),
                arguments("{{define \"a\"}}x", "1:16: unexpected EOF"),
                arguments("{{define \"a\"}}{{$x}}{{end}}{{$x := 1}}", "1:17: undefined variable \"$x\""),
                arguments("{{template .X}}", "1:12: unexpected \".X\" in template clause"),
                arguments("{{template \"x\" |}}", "1:16: unexpected \"|\" in template clause"),
                arguments("{{block 1}}{{end}}", "1:9: unexpected \"1\" in block clause"),
                arguments("{{block \"b\" .}}{{else}}{{end}}", "1:18: unexpected {{else}} in block clause"),
                arguments("{{$x := 1}}{{block \"b\" .}}{{$x}}{{end}}", "1:29: undefined variable \"$x\""),
                // declarations
                arguments("{{if $a, $b := 1}}{{end}}", "1:8: too many declarations in if"),
                arguments("{{range $a, 1}}{{end}}", "1:13: range can only initialize variables"),
                arguments("{{range $a, $b, $c := .}}{{end}}", "1:15: too many declarations in range"),
                arguments("{{range $a, $b $c}}{{end}}", "1:16: unexpected \"$c\" in range"),
                arguments("{{$nope = 1}}", "1:3: undefined variable \"$nope\""),
                arguments("{{if true}}{{$x := 1}}{{end}}{{$x}}", "1:32: undefined variable \"$x\""),
                arguments("{{$u}}", "1:3: undefined variable \"$u\""),
                // pipelines and operands
                arguments("{{}}", "1:3: missing value for command"),
                arguments("{{ }}", "1:4: missing value for command"),
                arguments("{{$x := }}", "1:9: missing value for command"),
                arguments("{{if}}{{end}}", "1:5: missing value for if"),
                arguments("{{range}}{{end}}", "1:8: missing value for range"),
                arguments("{{with}}{{end}}", "1:7: missing value for with"),
                arguments("{{printf ()}}", "1:11: missing value for parenthesized pipeline"),
                arguments("{{.A | 1}}", "1:8: non executable command in pipeline stage 2"),
                arguments("{{.A | \"s\"}}", "1:8: non executable command in pipeline stage 2"),
                arguments("{{.A | .}}", "1:8: non executable command in pipeline stage 2"),
                arguments("{{.A | upper | nil}}", "1:16: non executable command in pipeline stage 3"),
                arguments("{{.A = 1}}", "1:6: unexpected \"=\" in operand"),
                arguments("{{1 2 3 end}}", "1:9: unexpected <end> in operand"),
                arguments("{{index }", "1:9: unexpected \"}\" in operand"),
                arguments("{{print 1 | if}}", "1:13: unexpected <if> in command"),
                arguments("{{:=}}", "1:3: unexpected \":=\" in command"),
                arguments("{{\"a\".B}}", "1:3: unexpected . after term \"\\\"a\\\"\""),
                arguments("{{nil.X}}", "1:3: unexpected . after term \"nil\""),
                arguments("{{..X}}", "1:3: unexpected . after term \".\""),
                arguments("{{nosuch 1}}", "1:3: function \"nosuch\" not defined"),
                arguments("{{call .}}", "1:3: function \"call\" not defined"),
                // literals
                arguments("{{'ab'}}", "1:3: malformed character constant: 'ab'"),
                arguments("{{1i}}", "1:3: complex numbers are not supported: 1i"),
                arguments("{{0x}}", "1:3: illegal number syntax: \"0x\""),
                arguments("{{1__0}}", "1:3: illegal number syntax: \"1__0\""),
                arguments("{{1_}}", "1:3: illegal number syntax: \"1_\""),
                arguments("{{0x_}}", "1:3: illegal number syntax: \"0x_\""),
                arguments("{{1e400}}", "1:3: illegal number syntax: \"1e400\""),
                arguments("{{0x1p9999}}", "1:3: illegal number syntax: \"0x1p9999\""),
                arguments("{{9223372036854775808}}", "1:3: integer overflow: \"9223372036854775808\""),
                arguments("{{-0x8000000000000001}}", "1:3: integer overflow: \"-0x8000000000000001\""),
                arguments("{{\"\\q\"}}", "1:3: invalid escape \\q in \"\\q\""),
                arguments("{{\"\\'\"}}", "1:3: invalid escape \\' in \"\\'\""),
                arguments("{{'\\q'}}", "1:3: invalid escape \\q in '\\q'"),
                arguments("{{\"\\x4\"}}", "1:3: invalid escape in \"\\x4\""),
                arguments("{{\"\\xZZ\"}}", "1:3: invalid escape \\xZZ in \"\\xZZ\""),
                arguments("{{\"\\ud800\"}}", "1:3: invalid escape \\ud800 in \"\\ud800\""),
                arguments("{{\"\\777\"}}", "1:3: invalid escape \\777 in \"\\777\""),
                arguments("{{\"\\7\"}}", "1:3: invalid escape \\7 in \"\\7\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void parseErrorNamesPositionAndCause(String template, String message) {
        assertThatThrownBy(() -> Template.parse(template))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template: " + message);
    }

    @Test
    void deepNestingStopsWithAnErrorNotAStackOverflow() {
        String parens = "{{" + "(".repeat(100) + "1" + ")".repeat(100) + "}}";
        assertThatThrownBy(() -> Template.parse(parens)).hasMessage("template: 1:103: max expression depth exceeded");
        String ifs = "{{if 1}}".repeat(100) + "{{end}}".repeat(100);
        assertThatThrownBy(() -> Template.parse(ifs)).hasMessage("template: 1:798: max expression depth exceeded");
        String fine = "{{if 1}}".repeat(99) + "x" + "{{end}}".repeat(99);
        assertThat(Template.parse(fine).execute(null)).isEqualTo("x");
    }

    @Test
    void aTinyThreadStackGetsATemplateExceptionNotAStackOverflow() throws Exception {
        String deep = "{{if 1}}".repeat(99) + "x" + "{{end}}".repeat(99);
        Throwable[] thrown = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                Template.parse(deep).execute(null);
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "tiny-stack", 16 * 1024);
        thread.start();
        thread.join();
        assertThat(thrown[0]).isInstanceOf(TemplateException.class)
                .hasMessage("template: nesting too deep for this thread's stack");
    }

    @Test
    void theExceptionCarriesLineAndColumn() {
        TemplateException e = org.junit.jupiter.api.Assertions.assertThrows(TemplateException.class,
                () -> Template.parse("line one\n  {{if}}{{end}}"));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(7);
    }

    @Test
    void errorsFromCallersHaveNoPosition() {
        TemplateException e = new TemplateException("no such field");
        assertThat(e.line()).isZero();
        assertThat(e.column()).isZero();
        assertThat(e).hasMessage("no such field");
    }
}
