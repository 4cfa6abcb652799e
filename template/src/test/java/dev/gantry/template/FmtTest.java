package dev.gantry.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** printf and %v against what Go's fmt prints for the same values. */
class FmtTest {
    static String printf(String format, Object... args) {
        return Fmt.sprintf(format, new ArrayList<>(Arrays.asList(args)));
    }

    @Test
    void strings() {
        assertThat(printf("%s|%v|%10s|%-10s|%.2s|%6.2s", "abc", "abc", "abc", "abc", "abc", "abcdef"))
                .isEqualTo("abc|abc|       abc|abc       |ab|    ab");
        assertThat(printf("%05s", "ab")).isEqualTo("000ab");
        assertThat(printf("%-05s|", "ab")).isEqualTo("ab   |");
        assertThat(printf("%3s|", "\u00e9t\u00e9")).isEqualTo("\u00e9t\u00e9|");
        assertThat(printf("%x %X", "hi\u00e9", "hi")).isEqualTo("6869c3a9 6869");
    }

    @Test
    void quoting() {
        assertThat(printf("%q", "a\"b\\c\n\t\u0000\u007f\u00e9\u00a0\uD83D\uDE00"))
                .isEqualTo("\"a\\\"b\\\\c\\n\\t\\x00\\x7f\u00e9\\u00a0\uD83D\uDE00\"");
        assertThat(printf("%q %q %q", 65L, 39L, 10L)).isEqualTo("'A' '\\'' '\\n'");
        assertThat(printf("%q", List.of("a", "b"))).isEqualTo("[\"a\" \"b\"]");
        assertThat(printf("%+q|%#q|%#q|%#q", "\u00e9\uD83D\uDE00", "abc", "a`b", "a\nb"))
                .isEqualTo("\"\\u00e9\\U0001f600\"|`abc`|\"a`b\"|\"a\\nb\"");
    }

    @Test
    void integers() {
        assertThat(printf("%d|%5d|%-5d|%05d|%+d|% d|%.3d|%.0d", 42L, 42L, 42L, -42L, 5L, 5L, 7L, 0L))
                .isEqualTo("42|   42|42   |-0042|+5| 5|007|");
        assertThat(printf("%x|%X|%#x|%o|%#o|%O|%b|%x", 255L, 255L, 255L, 8L, 8L, 8L, 5L, -255L))
                .isEqualTo("ff|FF|0xff|10|010|0o10|101|-ff");
        assertThat(printf("%c|%U|%#U", 65L, 0x1F600L, 65L)).isEqualTo("A|U+1F600|U+0041 'A'");
        assertThat(printf("%d %d %d", 7, (short) 8, BigInteger.TWO.pow(70))).isEqualTo("7 8 1180591620717411303424");
        assertThat(printf("%v", Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
    }

    @Test
    void floats() {
        assertThat(printf("%f|%.2f|%5.2f|%08.3f|%+.1f|%.0f|%.0f", 3.14159, 3.14159, 3.14159, -3.14159, 2.0, 2.5, 3.5))
                .isEqualTo("3.141590|3.14| 3.14|-003.142|+2.0|2|4");
        // 2.675 is 2.67499999... in binary: Go rounds the exact value, so does this.
        assertThat(printf("%.2f", 2.675)).isEqualTo("2.67");
        assertThat(printf("%e|%E|%.2e|%e", 1234.5678, 1234.5678, 0.000123, 0.0)).isEqualTo("1.234568e+03|1.234568E+03|1.23e-04|0.000000e+00");
        assertThat(printf("%g|%g|%g|%g|%g|%g", 1234.5678, 1e21, 1e-7, 100000.0, 1e6, 0.0))
                .isEqualTo("1234.5678|1e+21|1e-07|100000|1e+06|0");
        assertThat(printf("%.3g|%.2g|%.4g|%G", 1234.5678, 0.000123, 100.0, 1e-10)).isEqualTo("1.23e+03|0.00012|100|1E-10");
        assertThat(printf("%6.3v|", Math.PI)).isEqualTo("  3.14|");
    }

    @Test
    void floatsPrintWithTheShortestDigits() {
        assertThat(Fmt.value(3.0)).isEqualTo("3");
        assertThat(Fmt.value(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(Fmt.value(1e20)).isEqualTo("1e+20");
        assertThat(Fmt.value(123456.0)).isEqualTo("123456");
        assertThat(Fmt.value(1234567.0)).isEqualTo("1.234567e+06");
        assertThat(Fmt.value(0.0001)).isEqualTo("0.0001");
        assertThat(Fmt.value(-0.0)).isEqualTo("-0");
        assertThat(Fmt.value(1.1f)).isEqualTo("1.1");
        assertThat(Fmt.value(new BigDecimal("2.50"))).isEqualTo("2.5");
        assertThat(Fmt.value(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(Fmt.value(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(Fmt.value(Double.NaN)).isEqualTo("NaN");
        assertThat(printf("%5.1f|%05f", Double.NaN, Double.POSITIVE_INFINITY)).isEqualTo("  NaN| +Inf");
    }

    @Test
    void booleansNilAndTypes() {
        assertThat(printf("%t %v %t", true, false, 1L)).isEqualTo("true false %!t(int=1)");
        assertThat(printf("%v|%s|%d", null, null, null)).isEqualTo("<nil>|%!s(<nil>)|%!d(<nil>)");
        assertThat(printf("%T %T %T %T %T %T %T", "s", 1L, 1.5, true, null, Map.of(), List.of()))
                .isEqualTo("string int float64 bool <nil> map[string]interface {} []interface {}");
    }

    @Test
    void collectionsApplyTheVerbToEachElement() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 2L);
        m.put("a", 1L);
        // Go applies the verb to keys as well: string keys do not fit %d.
        assertThat(printf("%v %d", m, m)).isEqualTo("map[a:1 b:2] map[%!d(string=a):1 %!d(string=b):2]");
        assertThat(printf("%v|%d|%3d", List.of(1L, "a"), List.of(1L, 2L), List.of(1L, 2L))).isEqualTo("[1 a]|[1 2]|[  1   2]");
        assertThat(printf("%v", Map.of(2L, "two", 10L, "ten"))).isEqualTo("map[2:two 10:ten]");
    }

    @Test
    void badVerbsMissingAndExtraArguments() {
        assertThat(printf("%s", 5L)).isEqualTo("%!s(int=5)");
        assertThat(printf("%d", "x")).isEqualTo("%!d(string=x)");
        assertThat(printf("%d", 2.5)).isEqualTo("%!d(float64=2.5)");
        assertThat(printf("%f", 2L)).isEqualTo("%!f(int=2)");
        assertThat(printf("%z", 1L)).isEqualTo("%!z(int=1)");
        assertThat(printf("%d %d", 1L)).isEqualTo("1 %!d(MISSING)");
        assertThat(printf("%d", 1L, 2L, "x")).isEqualTo("1%!(EXTRA int=2, string=x)");
        assertThat(printf("100%%")).isEqualTo("100%");
        assertThat(printf("abc%")).isEqualTo("abc%!(NOVERB)");
    }

    @Test
    void widthFromArgumentsAndArgumentIndexes() {
        assertThat(printf("%*d|%-*d|", 5L, 42L, 4L, 7L)).isEqualTo("   42|7   |");
        assertThat(printf("%.*f", 2L, Math.PI)).isEqualTo("3.14");
        assertThat(printf("%*d", "x", 1L)).isEqualTo("%!(BADWIDTH)1");
        assertThat(printf("%[2]d %[1]d", 1L, 2L)).isEqualTo("2 1");
        assertThat(printf("%[3]d", 1L)).isEqualTo("%!d(BADINDEX)");
        assertThat(printf("%[x]d %d", 1L)).isEqualTo("%!d(BADINDEX) 1");
    }

    @Test
    void sprintAndSprintln() {
        assertThat(Fmt.sprint(List.of(1L, 2L))).isEqualTo("1 2");
        assertThat(Fmt.sprint(List.of("a", 1L, "b"))).isEqualTo("a1b");
        assertThat(Fmt.sprintln(List.of("a", 1L))).isEqualTo("a 1\n");
    }

    @Test
    void otherObjectsPrintThroughToString() {
        Object custom = new Object() {
            @Override
            public String toString() {
                return "custom";
            }
        };
        assertThat(printf("%v %s %q %d", custom, custom, custom, custom)).startsWith("custom custom \"custom\" %!d(");
    }
}
