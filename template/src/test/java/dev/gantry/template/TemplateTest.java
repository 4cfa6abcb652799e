package dev.gantry.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TemplateTest {
    static String run(String template, Object data) {
        return Template.parse(template).execute(data);
    }

    /** A container as `docker inspect` shows it, as the CLI would hand it over after JSON decoding. */
    static Map<String, Object> container() {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("com.example.vendor", "ACME");
        labels.put("com.docker.compose.project", "shop");
        labels.put("a<b", "x&y");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Labels", labels);
        config.put("Env", List.of("PATH=/usr/bin", "TERM=xterm"));
        config.put("Hostname", "c1");
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", "running");
        state.put("Running", true);
        state.put("ExitCode", 0L);
        state.put("Health", null);
        Map<String, Object> ports = new LinkedHashMap<>();
        ports.put("80/tcp", List.of(Map.of("HostIp", "0.0.0.0", "HostPort", "8080")));
        ports.put("443/tcp", null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Id", "4f66ad9a0b2e");
        data.put("Name", "/web");
        data.put("State", state);
        data.put("Config", config);
        data.put("Mounts", List.of(Map.of("Source", "/srv/a", "Destination", "/a"),
                Map.of("Source", "/srv/b", "Destination", "/b")));
        data.put("NetworkSettings", Map.of("Ports", ports));
        return data;
    }

    /** A row of `docker ps`: computed fields, and Label taking an argument. */
    record PsRow(String id, String names, Map<String, String> labels) implements TemplateObject {
        @Override
        public Object field(String name, List<Object> args) {
            return switch (name) {
                case "ID" -> id;
                case "Names" -> names;
                case "Labels" -> String.join(",", labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
                case "Label" -> {
                    if (args.size() != 1 || !(args.getFirst() instanceof String key)) {
                        throw new TemplateException("Label takes one string, got " + args);
                    }
                    yield labels.getOrDefault(key, "");
                }
                default -> throw new TemplateException("can't evaluate field " + name + " in type PsRow");
            };
        }

        @Override
        public String toString() {
            return "PsRow(" + id + ")";
        }
    }

    static final PsRow ROW = new PsRow("4f66ad9a0b2e", "web", Map.of("com.example", "yes", "tier", "front"));

    @Nested
    class DockerForms {
        @Test
        void psFields() {
            assertThat(run("{{.ID}}", ROW)).isEqualTo("4f66ad9a0b2e");
            assertThat(run("{{.Names}}", ROW)).isEqualTo("web");
            assertThat(run("{{.ID}}\t{{.Names}}", ROW)).isEqualTo("4f66ad9a0b2e\tweb");
        }

        @Test
        void labelWithArgumentCallsTheObject() {
            assertThat(run("{{.Label \"com.example\"}}", ROW)).isEqualTo("yes");
            assertThat(run("{{.Label \"absent\"}}", ROW)).isEqualTo("");
            assertThat(run("{{\"tier\" | .Label}}", ROW)).isEqualTo("front");
        }

        @Test
        void jsonOfEverythingAndOfAMap() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("b", List.of(1L, 2.5, true));
            data.put("a", null);
            assertThat(run("{{json .}}", data)).isEqualTo("{\"a\":null,\"b\":[1,2.5,true]}");
            assertThat(run("{{json .Config.Labels}}", container()))
                    .isEqualTo("{\"a<b\":\"x&y\",\"com.docker.compose.project\":\"shop\",\"com.example.vendor\":\"ACME\"}");
        }

        @Test
        void nestedField() {
            assertThat(run("{{.State.Status}}", container())).isEqualTo("running");
            assertThat(run("{{.Config.Hostname}}", container())).isEqualTo("c1");
        }

        @Test
        void rangeOverMounts() {
            assertThat(run("{{range .Mounts}}{{.Source}} {{end}}", container())).isEqualTo("/srv/a /srv/b ");
        }

        @Test
        void indexALabel() {
            assertThat(run("{{index .Config.Labels \"com.example.vendor\"}}", container())).isEqualTo("ACME");
            assertThat(run("{{index .NetworkSettings.Ports \"80/tcp\" 0 \"HostPort\"}}", container())).isEqualTo("8080");
            assertThat(run("{{(index (index .NetworkSettings.Ports \"80/tcp\") 0).HostPort}}", container())).isEqualTo("8080");
        }

        @Test
        void rangeOverLabelsInKeyOrder() {
            assertThat(run("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{\"\\n\"}}{{end}}", container()))
                    .isEqualTo("a<b=x&y\ncom.docker.compose.project=shop\ncom.example.vendor=ACME\n");
        }

        @Test
        void ifEqStatus() {
            String template = "{{if eq .State.Status \"running\"}}up{{else}}down{{end}}";
            assertThat(run(template, container())).isEqualTo("up");
            assertThat(run(template, Map.of("State", Map.of("Status", "exited")))).isEqualTo("down");
        }

        @Test
        void printfPadsAName() {
            assertThat(run("{{printf \"%-20s\" .Name}}|", container())).isEqualTo("/web                |");
            assertThat(run("{{printf \"%8.3s\" .Name}}|", container())).isEqualTo("     /we|");
        }

        @Test
        void envAndFunctions() {
            assertThat(run("{{range .Config.Env}}{{println .}}{{end}}", container())).isEqualTo("PATH=/usr/bin\nTERM=xterm\n");
            assertThat(run("{{join .Config.Env \",\"}}", container())).isEqualTo("PATH=/usr/bin,TERM=xterm");
            assertThat(run("{{upper (index (split .Name \"/\") 1)}}", container())).isEqualTo("WEB");
            assertThat(run("{{.Config.Env}}", container())).isEqualTo("[PATH=/usr/bin TERM=xterm]");
        }

        @Test
        void rangeOverPortsWithNestedIndex() {
            String template = "{{range $p, $conf := .NetworkSettings.Ports}}{{$p}} -> {{if $conf}}{{(index $conf 0).HostPort}}{{else}}none{{end}}; {{end}}";
            assertThat(run(template, container())).isEqualTo("443/tcp -> none; 80/tcp -> 8080; ");
        }

        @Test
        void healthIsNullSoWithSkipsIt() {
            assertThat(run("{{with .State.Health}}{{.Status}}{{else}}no healthcheck{{end}}", container()))
                    .isEqualTo("no healthcheck");
        }
    }

    @Nested
    class TextAndTrimming {
        @Test
        void textOnlyAndEmpty() {
            assertThat(run("plain text\n", null)).isEqualTo("plain text\n");
            assertThat(run("", null)).isEmpty();
            assertThat(run("a } b }} c {", null)).isEqualTo("a } b }} c {");
        }

        @Test
        void trimMarkersEatAllWhiteSpaceOnTheirSide() {
            assertThat(run("a \n\t {{- \"b\" -}} \n c", null)).isEqualTo("abc");
            assertThat(run("a  {{- \"b\"}}  c", null)).isEqualTo("ab  c");
            assertThat(run("a  {{\"b\" -}}  c", null)).isEqualTo("a  bc");
            assertThat(run("{{range .}}\n  {{- .}}\n{{- end}}", List.of(1L, 2L))).isEqualTo("12");
        }

        @Test
        void aMinusWithoutSpaceIsANumber() {
            assertThat(run("a {{-3}} b", null)).isEqualTo("a -3 b");
            assertThat(run("a {{3 -}} b", null)).isEqualTo("a 3b");
        }

        @Test
        void commentsPrintNothing() {
            assertThat(run("a{{/* a comment */}}b", null)).isEqualTo("ab");
            assertThat(run("a {{- /* trimmed \n over lines */ -}} b", null)).isEqualTo("ab");
            assertThat(run("a{{/**/}}b", null)).isEqualTo("ab");
        }

        @Test
        void actionsMaySpanLines() {
            assertThat(run("{{if\n .A\n}}yes{{end}}", Map.of("A", true))).isEqualTo("yes");
        }
    }

    @Nested
    class FieldsAndValues {
        @Test
        void dotIsTheData() {
            assertThat(run("{{.}}", "hello")).isEqualTo("hello");
            assertThat(run("{{.}}", 42L)).isEqualTo("42");
            assertThat(run("{{.}}", null)).isEqualTo("<nil>");
            assertThat(run("{{.}}", true)).isEqualTo("true");
        }

        @Test
        void missingMapKeyIsNoValueAndSoIsItsFields() {
            assertThat(run("{{.Missing}}", Map.of())).isEqualTo("<no value>");
            assertThat(run("{{.Missing.Deeper.Still}}", Map.of())).isEqualTo("<no value>");
            assertThat(run("{{if .Missing}}t{{else}}f{{end}}", Map.of())).isEqualTo("f");
        }

        @Test
        void presentNullIsNil() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("N", null);
            assertThat(run("{{.N}}", data)).isEqualTo("<nil>");
        }

        @Test
        void mapsAndListsPrintLikeGo() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("b", 2L);
            m.put("a", List.of("x", "y"));
            m.put("c", null);
            assertThat(run("{{.}}", m)).isEqualTo("map[a:[x y] b:2 c:<nil>]");
            assertThat(run("{{.}}", List.of())).isEqualTo("[]");
            assertThat(run("{{.}}", new String[] {"p", "q"})).isEqualTo("[p q]");
            assertThat(run("{{.}}", new int[] {1, 2})).isEqualTo("[1 2]");
        }

        @Test
        void numbersPrintLikeGo() {
            assertThat(run("{{.}}", 123456789.0)).isEqualTo("1.23456789e+08");
            assertThat(run("{{.}}", 100000.0)).isEqualTo("100000");
            assertThat(run("{{.}}", 0.5)).isEqualTo("0.5");
            assertThat(run("{{.}}", 0.00001)).isEqualTo("1e-05");
            assertThat(run("{{.}}", 7)).isEqualTo("7");
            assertThat(run("{{.}}", new java.math.BigDecimal("12.50"))).isEqualTo("12.5");
            assertThat(run("{{1.0}} {{1e3}} {{0x1F}} {{0o17}} {{017}} {{0b101}} {{1_000}} {{'a'}} {{-2}} {{+2}} {{0x_1F}} {{.5}} {{5.}}", null))
                    .isEqualTo("1 1000 31 15 15 5 1000 97 -2 2 31 0.5 5");
        }

        @Test
        void literals() {
            assertThat(run("{{\"a\\tb\\u00e9\\x41\\101\\\\\\\"\"}}", null)).isEqualTo("a\tb\u00e9AA\\\"");
            assertThat(run("{{`raw \\n {{ }}`}}", null)).isEqualTo("raw \\n {{ }}");
            assertThat(run("{{true}} {{false}}", null)).isEqualTo("true false");
            assertThat(run("{{\"\\xc3\\xa9\"}}", null)).isEqualTo("\u00e9");
            assertThat(run("{{'\\n'}} {{'\\''}}", null)).isEqualTo("10 39");
            assertThat(run("{{9223372036854775807}} {{-9223372036854775808}} {{0x1p4}} {{1e308}}", null))
                    .isEqualTo("9223372036854775807 -9223372036854775808 16 1e+308");
        }

        @Test
        void chainsOnVariablesAndParentheses() {
            Map<String, Object> data = Map.of("A", Map.of("B", Map.of("C", "deep")));
            assertThat(run("{{.A.B.C}}", data)).isEqualTo("deep");
            assertThat(run("{{$a := .A}}{{$a.B.C}}", data)).isEqualTo("deep");
            assertThat(run("{{(.A.B).C}}", data)).isEqualTo("deep");
            assertThat(run("{{with .A}}{{$.A.B.C}}{{end}}", data)).isEqualTo("deep");
        }

        @Test
        void templateObjectFieldsWithArgumentsAndPipelines() {
            List<List<Object>> calls = new ArrayList<>();
            TemplateObject object = (name, args) -> {
                calls.add(List.of(name, args));
                return name + args;
            };
            assertThat(run("{{.Plain}}|{{.M \"a\" 1}}|{{2 | .M \"b\"}}|{{.M .}}", object))
                    .startsWith("Plain[]|M[a, 1]|M[b, 2]|M[");
            assertThat(calls.get(1)).containsExactly("M", List.of("a", 1L));
            assertThat(calls.get(2)).containsExactly("M", List.of("b", 2L));
        }

        @Test
        void templateObjectResultsChainFurther() {
            TemplateObject object = (name, args) -> Map.of("Inner", name);
            assertThat(run("{{.Outer.Inner}}", object)).isEqualTo("Outer");
        }

        @Test
        void templateObjectPrintsThroughToString() {
            assertThat(run("{{.}}", ROW)).isEqualTo("PsRow(4f66ad9a0b2e)");
        }
    }

    @Nested
    class Variables {
        @Test
        void declareAndAssign() {
            assertThat(run("{{$x := 1}}{{$x}}{{$x = 2}}{{$x}}", null)).isEqualTo("12");
            assertThat(run("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", null)).isEqualTo("2");
            assertThat(run("{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", null)).isEqualTo("21");
        }

        @Test
        void dollarIsTheDataEverywhere() {
            assertThat(run("{{range .L}}{{$.Sep}}{{.}}{{end}}", Map.of("L", List.of("a", "b"), "Sep", "-")))
                    .isEqualTo("-a-b");
        }

        @Test
        void declarationsInIfAndWithScopeOverElse() {
            assertThat(run("{{if $x := .A}}{{$x}}{{else}}[{{$x}}]{{end}}", Map.of("A", ""))).isEqualTo("[]");
            assertThat(run("{{with $x := .A}}{{$x}}{{.}}{{end}}", Map.of("A", "v"))).isEqualTo("vv");
        }

        @Test
        void rangeVariables() {
            assertThat(run("{{range $e := .}}{{$e}}{{end}}", List.of("a", "b"))).isEqualTo("ab");
            assertThat(run("{{range $i, $e := .}}{{$i}}={{$e}} {{end}}", List.of("a", "b"))).isEqualTo("0=a 1=b ");
            assertThat(run("{{$i := 0}}{{$e := 0}}{{range $i, $e = .}}{{end}}{{$i}}{{$e}}", List.of("a", "b")))
                    .isEqualTo("1b");
        }
    }

    @Nested
    class ControlStructures {
        @Test
        void ifElseIfElse() {
            String template = "{{if eq . 1}}one{{else if eq . 2}}two{{else if eq . 3}}three{{else}}many{{end}}";
            assertThat(run(template, 1L)).isEqualTo("one");
            assertThat(run(template, 2L)).isEqualTo("two");
            assertThat(run(template, 3L)).isEqualTo("three");
            assertThat(run(template, 9L)).isEqualTo("many");
        }

        @Test
        void truthFollowsGo() {
            String template = "{{if .}}t{{else}}f{{end}}";
            assertThat(run(template, null)).isEqualTo("f");
            assertThat(run(template, false)).isEqualTo("f");
            assertThat(run(template, 0L)).isEqualTo("f");
            assertThat(run(template, 0.0)).isEqualTo("f");
            assertThat(run(template, "")).isEqualTo("f");
            assertThat(run(template, List.of())).isEqualTo("f");
            assertThat(run(template, Map.of())).isEqualTo("f");
            assertThat(run(template, new String[0])).isEqualTo("f");
            assertThat(run(template, 1L)).isEqualTo("t");
            assertThat(run(template, "0")).isEqualTo("t");
            assertThat(run(template, List.of(0L))).isEqualTo("t");
            assertThat(run(template, ROW)).isEqualTo("t");
        }

        @Test
        void withElseWith() {
            String template = "{{with .A}}a={{.}}{{else with .B}}b={{.}}{{else}}none{{end}}";
            assertThat(run(template, Map.of("A", "1", "B", "2"))).isEqualTo("a=1");
            assertThat(run(template, Map.of("B", "2"))).isEqualTo("b=2");
            assertThat(run(template, Map.of())).isEqualTo("none");
        }

        @Test
        void rangeOverMapsListsArraysAndIntegers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("z", 1L);
            m.put("a", 2L);
            assertThat(run("{{range $k, $v := .}}{{$k}}{{$v}}{{end}}", m)).isEqualTo("a2z1");
            assertThat(run("{{range .}}{{.}}{{end}}", m)).isEqualTo("21");
            assertThat(run("{{range .}}{{.}}{{end}}", new long[] {4, 5})).isEqualTo("45");
            assertThat(run("{{range 3}}{{.}}{{end}}", null)).isEqualTo("012");
            assertThat(run("{{range $i := 2}}{{$i}}{{end}}", null)).isEqualTo("01");
        }

        @Test
        void rangeElseWhenEmptyOrNull() {
            String template = "{{range .}}x{{else}}empty{{end}}";
            assertThat(run(template, List.of())).isEqualTo("empty");
            assertThat(run(template, Map.of())).isEqualTo("empty");
            assertThat(run(template, null)).isEqualTo("empty");
            assertThat(run("{{range .Missing}}x{{else}}empty{{end}}", Map.of())).isEqualTo("empty");
            assertThat(run(template, List.of(1L))).isEqualTo("x");
            assertThat(run("{{range 0}}x{{else}}zero{{end}}", null)).isEqualTo("zero");
        }

        @Test
        void breakAndContinue() {
            assertThat(run("{{range .}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}", List.of(1L, 2L, 3L, 4L))).isEqualTo("12");
            assertThat(run("{{range .}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}", List.of(1L, 2L, 3L))).isEqualTo("13");
            assertThat(run("{{range .}}{{range .}}{{break}}{{end}}{{.}}{{end}}", List.of(List.of(1L), List.of(2L))))
                    .isEqualTo("[1][2]");
            assertThat(run("{{range .}}{{with .}}{{continue}}{{end}}x{{end}}", List.of(1L, 0L))).isEqualTo("x");
        }

        @Test
        void defineTemplateAndBlock() {
            assertThat(run("{{define \"row\"}}<{{.}}>{{end}}{{range .}}{{template \"row\" .}}{{end}}", List.of("a", "b")))
                    .isEqualTo("<a><b>");
            assertThat(run("{{define `t`}}[{{.}}]{{end}}{{template `t`}}", "ignored")).isEqualTo("[<no value>]");
            assertThat(run("{{block \"b\" .}}({{.}}){{end}}!", "x")).isEqualTo("(x)!");
            assertThat(run("{{define \"b\"}}{{end}}{{block \"b\" .}}default{{end}}", "x")).isEqualTo("default");
        }

        @Test
        void calledTemplatesSeeOnlyTheirOwnDollar() {
            assertThat(run("{{define \"t\"}}{{$}}{{end}}{{$x := 1}}{{template \"t\" \"arg\"}}", "data")).isEqualTo("arg");
        }

        @Test
        void recursiveTemplates() {
            String template = "{{define \"count\"}}{{if gt . 0}}{{.}}{{template \"count\" (slice \"x\" 0 0 | len)}}{{end}}{{end}}"
                    + "{{template \"count\" 3}}";
            assertThat(run(template, null)).isEqualTo("3");
        }
    }

    @Nested
    class Pipelines {
        @Test
        void previousValueIsTheLastArgument() {
            assertThat(run("{{\"a\" | printf \"%s-%s\" \"b\"}}", null)).isEqualTo("b-a");
            assertThat(run("{{.Name | upper | printf \"[%s]\"}}", Map.of("Name", "web"))).isEqualTo("[WEB]");
            assertThat(run("{{(len .) | printf \"%03d\"}}", List.of(1L, 2L))).isEqualTo("002");
        }

        @Test
        void parenthesizedPipelinesAreArguments() {
            assertThat(run("{{printf \"%s/%s\" (lower \"A\") (upper (lower \"B\"))}}", null)).isEqualTo("a/B");
            assertThat(run("{{if and (eq .A 1) (ne .B 2)}}yes{{end}}", Map.of("A", 1L, "B", 3L))).isEqualTo("yes");
        }

        @Test
        void aTrailingPipeIsIgnoredAsGoIgnoresIt() {
            assertThat(run("{{\"a\" |}}", null)).isEqualTo("a");
        }

        @Test
        void declarationsPrintNothing() {
            assertThat(run("{{$x := \"hidden\"}}", null)).isEmpty();
            assertThat(run("{{$x := \"a\" | upper}}{{$x}}", null)).isEqualTo("A");
        }
    }

    @Nested
    class CallerFunctions {
        @Test
        void extraFunctionsAreCalledWithArgumentsAndFinal() {
            Map<String, TemplateFunction> funcs = Map.of("shortid", args -> ((String) args.getFirst()).substring(0, 4),
                    "concat", args -> String.join("+", args.stream().map(String::valueOf).toList()));
            Template template = Template.parse("{{shortid .ID}} {{.ID | shortid}} {{concat \"a\" .Missing}}", funcs);
            assertThat(template.execute(Map.of("ID", "4f66ad9a"))).isEqualTo("4f66 4f66 a+null");
        }

        @Test
        void extraFunctionsReplacePredefinedOnes() {
            Template template = Template.parse("{{json .}}", Map.of("json", args -> "custom"));
            assertThat(template.execute(Map.of())).isEqualTo("custom");
        }

        @Test
        void aTemplateRunsManyTimesWithDifferentData() {
            Template template = Template.parse("{{.ID}}");
            assertThat(template.execute(Map.of("ID", "a"))).isEqualTo("a");
            assertThat(template.execute(Map.of("ID", "b"))).isEqualTo("b");
            assertThat(template.text()).isEqualTo("{{.ID}}");
        }

        @Test
        void badFunctionNamesAreRefused() {
            assertThatThrownBy(() -> Template.parse("x", Map.of("no-dash", args -> "")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("template: function name \"no-dash\" is not a valid identifier");
            assertThatThrownBy(() -> Template.parse("x", Map.of("if", args -> "")))
                    .hasMessage("template: function name \"if\" is not a valid identifier");
        }
    }
}
