package dev.gantry.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker's json function: Go's encoding/json with SetEscapeHTML(false). */
class JsonTest {
    @Test
    void scalars() {
        assertThat(Json.encode(null)).isEqualTo("null");
        assertThat(Json.encode(true)).isEqualTo("true");
        assertThat(Json.encode(42L)).isEqualTo("42");
        assertThat(Json.encode(7)).isEqualTo("7");
        assertThat(Json.encode(BigInteger.TEN.pow(30))).isEqualTo("1000000000000000000000000000000");
        assertThat(Json.encode(new BigDecimal("12.50"))).isEqualTo("12.50");
        assertThat(Json.encode("s")).isEqualTo("\"s\"");
    }

    @Test
    void floatsUseGoForms() {
        assertThat(Json.encode(1.0)).isEqualTo("1");
        assertThat(Json.encode(-0.5)).isEqualTo("-0.5");
        assertThat(Json.encode(123456789.0)).isEqualTo("123456789");
        assertThat(Json.encode(1e20)).isEqualTo("100000000000000000000");
        assertThat(Json.encode(1e21)).isEqualTo("1e+21");
        assertThat(Json.encode(1.5e300)).isEqualTo("1.5e+300");
        assertThat(Json.encode(0.000001)).isEqualTo("0.000001");
        assertThat(Json.encode(1e-7)).isEqualTo("1e-7");
        assertThat(Json.encode(-2.5e-10)).isEqualTo("-2.5e-10");
        assertThat(Json.encode(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(Json.encode(1.1f)).isEqualTo("1.1");
        assertThat(Json.encode(0.0)).isEqualTo("0");
    }

    @Test
    void nanAndInfinityPrintNothingAsDockerDoes() {
        assertThat(Json.encode(Double.NaN)).isEmpty();
        assertThat(Json.encode(Map.of("x", Double.POSITIVE_INFINITY))).isEmpty();
        assertThat(Json.encode(List.of(1L, Double.NEGATIVE_INFINITY))).isEmpty();
    }

    @Test
    void stringEscapesButNotHtml() {
        assertThat(Json.encode("\"\\\n\r\t\b\f\u0001\u001f<>&\u2028\u2029"))
                .isEqualTo("\"\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f<>&\\u2028\\u2029\"");
        assertThat(Json.encode("\u00e9\u2603\uD83D\uDE00")).isEqualTo("\"\u00e9\u2603\uD83D\uDE00\"");
        assertThat(Json.encode("a\uD800b\uDC00")).isEqualTo("\"a\\ufffdb\\ufffd\"");
    }

    @Test
    void collectionsWithSortedKeys() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of());
        m.put("a", Map.of());
        m.put("m", Arrays.asList(1L, null, "x", new long[] {2, 3}));
        assertThat(Json.encode(m)).isEqualTo("{\"a\":{},\"m\":[1,null,\"x\",[2,3]],\"z\":[]}");
        assertThat(Json.encode(new String[] {"a"})).isEqualTo("[\"a\"]");
        assertThat(Json.encode(Map.of(1L, "one"))).isEqualTo("{\"1\":\"one\"}");
    }

    @Test
    void otherObjectsEncodeAsTheirString() {
        assertThat(Json.encode(TemplateTest.ROW)).isEqualTo("\"PsRow(4f66ad9a0b2e)\"");
        assertThat(Json.encode(new StringBuilder("sb"))).isEqualTo("\"sb\"");
    }

    @Test
    void templateObjectsEncodeTheirJsonValue() {
        TemplateObject row = new TemplateObject() {
            @Override
            public Object field(String name, List<Object> args) {
                return name;
            }

            @Override
            public Object jsonValue() {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("Names", "web");
                fields.put("ID", "4f66");
                fields.put("Self", TemplateTest.ROW);
                return fields;
            }
        };
        assertThat(Template.parse("{{json .}}").execute(row))
                .isEqualTo("{\"ID\":\"4f66\",\"Names\":\"web\",\"Self\":\"PsRow(4f66ad9a0b2e)\"}");
        TemplateObject selfish = new TemplateObject() {
            @Override
            public Object field(String name, List<Object> args) {
                return name;
            }

            @Override
            public Object jsonValue() {
                return this;
            }

            @Override
            public String toString() {
                return "me";
            }
        };
        assertThat(Json.encode(selfish)).isEqualTo("\"me\"");
    }
}
