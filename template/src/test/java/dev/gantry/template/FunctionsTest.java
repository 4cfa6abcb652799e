package dev.gantry.template;

import static dev.gantry.template.TemplateTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The predefined functions: Go's and docker's. */
class FunctionsTest {
    @Test
    void andOrReturnTheDecidingValueAndStopEvaluating() {
        assertThat(run("{{and 1 0 2}}", null)).isEqualTo("0");
        assertThat(run("{{and 1 2}}", null)).isEqualTo("2");
        assertThat(run("{{or 0 \"\" \"x\" 1}}", null)).isEqualTo("x");
        assertThat(run("{{or 0 \"\"}}", null)).isEqualTo("");
        // The second argument would fail (a field of null): it is never evaluated.
        assertThat(run("{{and .N .N.X}}", java.util.Collections.singletonMap("N", null))).isEqualTo("<nil>");
        assertThat(run("{{or 1 .N.X}}", java.util.Collections.singletonMap("N", null))).isEqualTo("1");
        assertThat(run("{{1 | and 2}}", null)).isEqualTo("1");
    }

    @Test
    void not() {
        assertThat(run("{{not 0}} {{not 1}} {{not \"\"}} {{not .}}", List.of(1L))).isEqualTo("true false true false");
    }

    @Test
    void lenCountsBytesOfStringsAndElements() {
        assertThat(run("{{len .}}", "h\u00e9")).isEqualTo("3");
        assertThat(run("{{len .}}", List.of(1L, 2L))).isEqualTo("2");
        assertThat(run("{{len .}}", Map.of("a", 1L))).isEqualTo("1");
        assertThat(run("{{len .}}", new int[3])).isEqualTo("3");
        assertThat(run("{{len .}}", null)).isEqualTo("0");
    }

    @Test
    void indexListsMapsStringsAndNesting() {
        Map<String, Object> data = Map.of("L", List.of("a", List.of("b", "c")), "M", Map.of("k", Map.of("j", "deep")));
        assertThat(run("{{index .L 0}}", data)).isEqualTo("a");
        assertThat(run("{{index .L 1 1}}", data)).isEqualTo("c");
        assertThat(run("{{index .M \"k\" \"j\"}}", data)).isEqualTo("deep");
        assertThat(run("{{index .M \"nope\"}}", data)).isEqualTo("<nil>");
        assertThat(run("{{index .M}}", data)).isEqualTo("map[k:map[j:deep]]");
        assertThat(run("{{index \"abc\" 1}}", data)).isEqualTo("98");
        assertThat(run("{{index . 1}}", new String[] {"x", "y"})).isEqualTo("y");
    }

    @Test
    void sliceListsAndStrings() {
        assertThat(run("{{slice . 1 3}}", List.of(0L, 1L, 2L, 3L))).isEqualTo("[1 2]");
        assertThat(run("{{slice . 2}}", List.of(0L, 1L, 2L, 3L))).isEqualTo("[2 3]");
        assertThat(run("{{slice .}}", List.of(0L, 1L))).isEqualTo("[0 1]");
        assertThat(run("{{slice . 1 2 3}}", List.of(0L, 1L, 2L, 3L))).isEqualTo("[1]");
        assertThat(run("{{slice . 1 4}}", "abcdef")).isEqualTo("bcd");
        assertThat(run("{{slice . 4}}", "abcdef")).isEqualTo("ef");
        assertThat(run("{{slice . 0 1}}", new long[] {7, 8})).isEqualTo("[7]");
    }

    @Test
    void comparisons() {
        assertThat(run("{{eq 1 1}} {{eq 1 2}} {{eq \"a\" \"a\"}} {{eq true false}}", null)).isEqualTo("true false true false");
        assertThat(run("{{eq .S \"x\" \"y\" \"z\"}}", Map.of("S", "z"))).isEqualTo("true");
        assertThat(run("{{eq .S \"x\" \"y\"}}", Map.of("S", "z"))).isEqualTo("false");
        assertThat(run("{{ne 1 2}} {{ne \"a\" \"a\"}}", null)).isEqualTo("true false");
        assertThat(run("{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 2 3}}", null)).isEqualTo("true true false false");
        assertThat(run("{{lt \"abc\" \"abd\"}} {{gt \"b\" \"abc\"}}", null)).isEqualTo("true true");
        assertThat(run("{{lt 1.5 2}} {{eq 0 0.0}} {{eq .N 3}}", Map.of("N", 3.0))).isEqualTo("true true true");
        assertThat(run("{{eq .Missing \"x\"}} {{eq nil nil}}", Map.of())).isEqualTo("false true");
        assertThat(run("{{eq .A .B}}", Map.of("A", 1, "B", 1L))).isEqualTo("true");
        assertThat(run("{{lt .Big .Bigger}}", Map.of("Big", Long.MAX_VALUE, "Bigger", java.math.BigInteger.TWO.pow(64))))
                .isEqualTo("true");
    }

    @Test
    void printFunctions() {
        assertThat(run("{{print \"a\" \"b\" 1 2 \"c\" true}}", null)).isEqualTo("ab1 2ctrue");
        assertThat(run("{{println \"a\" 1 .}}", List.of("x"))).isEqualTo("a 1 [x]\n");
        assertThat(run("{{println}}", null)).isEqualTo("\n");
        assertThat(run("{{print}}", null)).isEmpty();
        assertThat(run("{{print .Missing}}", Map.of())).isEqualTo("<nil>");
        assertThat(run("{{printf \"%d-%s\" 1 \"x\"}}", null)).isEqualTo("1-x");
    }

    @Test
    void jsonFunction() {
        assertThat(run("{{json .}}", Map.of("html", "<a href=\"x\">&</a>"))).isEqualTo("{\"html\":\"<a href=\\\"x\\\">&</a>\"}");
        assertThat(run("{{json .Missing}}", Map.of())).isEqualTo("null");
        assertThat(run("{{json \"s\"}} {{json 1}} {{json 1.5}} {{json true}}", null)).isEqualTo("\"s\" 1 1.5 true");
    }

    @Test
    void dockerStringFunctions() {
        assertThat(run("{{lower \"MiXeD\"}} {{upper \"MiXeD\"}}", null)).isEqualTo("mixed MIXED");
        assertThat(run("{{title \"hello wide_world foo-bar \u00e9t\u00e9\"}}", null)).isEqualTo("Hello Wide_world Foo-Bar \u00c9t\u00e9");
        assertThat(run("{{split \"a,b,,c\" \",\"}}", null)).isEqualTo("[a b  c]");
        assertThat(run("{{split \"abc\" \"\"}}", null)).isEqualTo("[a b c]");
        assertThat(run("{{len (split \"\" \",\")}}", null)).isEqualTo("1");
        assertThat(run("{{join . \", \"}}", List.of("a", "b", "c"))).isEqualTo("a, b, c");
        assertThat(run("{{join . \"-\"}}", List.of("a", 1L))).isEqualTo("a-1");
        assertThat(run("{{join . \"-\"}}", new String[] {"x", "y"})).isEqualTo("x-y");
        assertThat(run("{{join .Missing \"-\"}}", Map.of())).isEmpty();
    }

    @Test
    void caseMappingIsRuneByRuneAsInGo() {
        assertThat(run("{{upper \"stra\u00dfe \u00e9\"}} {{lower \"\u0130X\"}}", null)).isEqualTo("STRA\u00dfE \u00c9 ix");
    }

    @Test
    void goEscapers() {
        assertThat(run("{{html \"<a href='x'>\\\"&\\\"</a>\"}}", null)).isEqualTo("&lt;a href=&#39;x&#39;&gt;&#34;&amp;&#34;&lt;/a&gt;");
        assertThat(run("{{html 1 2 \"<\"}}", null)).isEqualTo("1 2&lt;");
        assertThat(run("{{js \"it's <b> & \\\"q\\\" = \\\\ \\t \u00e9\u2028\"}}", null))
                .isEqualTo("it\\'s \\u003Cb\\u003E \\u0026 \\\"q\\\" \\u003D \\\\ \\u0009 \u00e9\\u2028");
        assertThat(run("{{urlquery \"a b&c=d/\u00e9~\"}}", null)).isEqualTo("a+b%26c%3Dd%2F%C3%A9~");
        assertThat(run("{{\"x y\" | urlquery}}", null)).isEqualTo("x+y");
    }

    @Test
    void padAndTruncate() {
        assertThat(run("[{{pad \"ab\" 2 3}}]", null)).isEqualTo("[  ab   ]");
        assertThat(run("[{{pad \"\" 2 3}}]", null)).isEqualTo("[]");
        assertThat(run("{{truncate \"abcdef\" 3}}", null)).isEqualTo("abc");
        assertThat(run("{{truncate \"abc\" 3}}", null)).isEqualTo("abc");
        assertThat(run("{{truncate \"ab\" 3}}", null)).isEqualTo("ab");
        assertThat(run("{{truncate \"\u00e9\u00e9\u00e9\" 2}}", null)).isEqualTo("\u00e9\u00e9");
        assertThat(run("{{truncate .ID 12}}", Map.of("ID", "4f66ad9a0b2e1234567"))).isEqualTo("4f66ad9a0b2e");
    }
}
