package dev.gantry.template;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Templates that parse but fail when executed, with the message. */
class ExecErrorTest {
    static Map<String, Object> data() {
        Map<String, Object> data = new HashMap<>();
        data.put("S", "str");
        data.put("N", null);
        data.put("L", List.of("a", "b"));
        data.put("M", Map.of("k", "v"));
        data.put("I", 3L);
        data.put("F", 2.5);
        data.put("Row", TemplateTest.ROW);
        return data;
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("{{.S.X}}", "1:3: executing at <.S.X>: can't evaluate field X in type string"),
                arguments("{{.L.X}}", "1:3: executing at <.L.X>: can't evaluate field X in type []interface {}"),
                arguments("{{.N.X}}", "1:3: executing at <.N.X>: nil pointer evaluating interface {}.X"),
                arguments("{{.M.k \"arg\"}}", "1:3: executing at <.M.k>: k is not a method but has arguments"),
                arguments("{{\"x\" | .M.k}}", "1:9: executing at <.M.k>: k is not a method but has arguments"),
                arguments("{{.Row.Nope}}", "1:3: executing at <.Row.Nope>: can't evaluate field Nope in type PsRow"),
                arguments("{{.Row.Label 1}}", "1:3: executing at <.Row.Label>: Label takes one string, got [1]"),
                arguments("{{\"x\" 1}}", "1:3: executing at <\"x\">: can't give argument to non-function \"x\""),
                arguments("{{. 1}}", "1:3: executing at <.>: can't give argument to non-function ."),
                arguments("{{$ 1}}", "1:3: executing at <$>: can't give argument to non-function $"),
                arguments("{{(.S) 1}}", "1:3: executing at <(.S)>: can't give argument to non-function (.S)"),
                arguments("{{nil}}", "1:3: executing at <nil>: nil is not a command"),
                arguments("{{len}}", "1:3: executing at <len>: wrong number of args for len: want 1 got 0"),
                arguments("{{.S | len 1}}", "1:8: executing at <len 1>: wrong number of args for len: want 1 got 2"),
                arguments("{{and}}", "1:3: executing at <and>: wrong number of args for and: want at least 1 got 0"),
                arguments("{{pad \"a\" 1}}", "1:3: executing at <pad \"a\" 1>: wrong number of args for pad: want 3 got 2"),
                arguments("{{len .I}}", "1:3: executing at <len .I>: error calling len: len of type int"),
                arguments("{{index .L 5}}", "1:3: executing at <index .L 5>: error calling index: index out of range: 5"),
                arguments("{{index .L -1}}", "1:3: executing at <index .L -1>: error calling index: index out of range: -1"),
                arguments("{{index .L \"a\"}}", "1:3: executing at <index .L \"a\">: error calling index: cannot index slice/array with type string"),
                arguments("{{index .L nil}}", "1:3: executing at <index .L nil>: error calling index: cannot index slice/array with nil"),
                arguments("{{index .I 0}}", "1:3: executing at <index .I 0>: error calling index: can't index item of type int"),
                arguments("{{slice .L 3}}", "1:3: executing at <slice .L 3>: error calling slice: index out of range: 3"),
                arguments("{{slice .L 2 1}}", "1:3: executing at <slice .L 2 1>: error calling slice: invalid slice index: 2 > 1"),
                arguments("{{slice .L 0 2 1}}", "1:3: executing at <slice .L 0 2 1>: error calling slice: invalid slice index: 2 > 1"),
                arguments("{{slice .S 0 1 2}}", "1:3: executing at <slice .S 0 1 2>: error calling slice: cannot 3-index slice a string"),
                arguments("{{slice .L 0 1 2 2}}", "1:3: executing at <slice .L 0 1 2 2>: error calling slice: too many slice indexes: 4"),
                arguments("{{slice .I 0}}", "1:3: executing at <slice .I 0>: error calling slice: can't slice item of type int"),
                arguments("{{slice .N 0}}", "1:3: executing at <slice .N 0>: error calling slice: slice of untyped nil"),
                arguments("{{eq 1}}", "1:3: executing at <eq 1>: error calling eq: missing argument for comparison"),
                arguments("{{eq .S 1}}", "1:3: executing at <eq .S 1>: error calling eq: incompatible types for comparison"),
                arguments("{{eq .L .L}}", "1:3: executing at <eq .L .L>: error calling eq: non-comparable type [a b]: []interface {}"),
                arguments("{{lt true false}}", "1:3: executing at <lt true false>: error calling lt: invalid type for comparison"),
                arguments("{{lt .N 1}}", "1:3: executing at <lt .N 1>: error calling lt: invalid type for comparison"),
                arguments("{{gt \"a\" 1}}", "1:3: executing at <gt \"a\" 1>: error calling gt: incompatible types for comparison"),
                arguments("{{upper 3}}", "1:3: executing at <upper 3>: wrong type for value; expected string; got int"),
                arguments("{{upper .Missing}}", "1:3: executing at <upper .Missing>: invalid value; expected string"),
                arguments("{{printf 1}}", "1:3: executing at <printf 1>: wrong type for value; expected string; got int"),
                arguments("{{join .S \",\"}}", "1:3: executing at <join .S \",\">: wrong type for value; expected []string; got string"),
                arguments("{{truncate .S .F}}", "1:3: executing at <truncate .S .F>: wrong type for value; expected int; got float64"),
                arguments("{{truncate .S .N}}", "1:3: executing at <truncate .S .N>: invalid value; expected int"),
                arguments("{{truncate .S -1}}", "1:3: executing at <truncate .S -1>: error calling truncate: runtime error: slice bounds out of range [:-1]"),
                arguments("{{pad .S -1 0}}", "1:3: executing at <pad .S -1 0>: error calling pad: strings: negative Repeat count"),
                arguments("{{range .S}}{{end}}", "1:9: executing at <.S>: range can't iterate over str"),
                arguments("{{range $i, $e := 3}}{{end}}", "1:9: executing at <$i, $e := 3>: can't use 3 to iterate over more than one variable"),
                arguments("{{template \"nope\"}}", "1:3: executing at <template \"nope\">: template \"nope\" not defined"),
                arguments("{{define \"r\"}}{{template \"r\"}}{{end}}{{template \"r\"}}",
                        "1:17: executing at <template \"r\">: exceeded maximum template depth (200)"),
                arguments("line\n {{.S}} {{.S.Y}}", "2:11: executing at <.S.Y>: can't evaluate field Y in type string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void executionErrorNamesPositionActionAndCause(String template, String message) {
        Template parsed = Template.parse(template);
        assertThatThrownBy(() -> parsed.execute(data()))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template: " + message);
    }

    @Test
    void callerFunctionFailuresAreReportedAtTheCall() {
        Map<String, TemplateFunction> funcs = Map.of(
                "boom", args -> {
                    throw new IllegalArgumentException("bad input");
                },
                "refuse", args -> {
                    throw new TemplateException("refused " + args);
                });
        assertThatThrownBy(() -> Template.parse("{{boom 1}}", funcs).execute(null))
                .isInstanceOf(TemplateException.class)
                .hasMessage("template: 1:3: executing at <boom 1>: error calling boom: bad input");
        assertThatThrownBy(() -> Template.parse("{{2 | refuse}}", funcs).execute(null))
                .hasMessage("template: 1:7: executing at <refuse>: refused [2]");
    }

    @Test
    void templateObjectRuntimeFailuresAreReportedAtTheField() {
        TemplateObject broken = (name, args) -> {
            throw new IllegalStateException("daemon went away");
        };
        assertThatThrownBy(() -> Template.parse("{{.Status}}").execute(broken))
                .hasMessage("template: 1:3: executing at <.Status>: error calling Status: daemon went away");
    }

    @Test
    void missingValueFieldsStayMissingButNullFieldsFail() {
        assertThatThrownBy(() -> Template.parse("{{.A.B}}").execute(Collections.singletonMap("A", null)))
                .hasMessage("template: 1:3: executing at <.A.B>: nil pointer evaluating interface {}.B");
    }
}
