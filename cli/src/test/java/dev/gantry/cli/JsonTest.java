package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValueKeepingKeyOrder() {
        Object v = Json.parse(" {\"b\": [1, -2.5, 3e2, true, false, null], \"a\": \"x\\n\\u00e9\\\"\", \"big\": 18446744073709551615} ");
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("b", "a", "big");
        assertThat((List<?>) m.get("b")).isEqualTo(Arrays.asList(1L, -2.5, 300.0, true, false, null));
        assertThat(m.get("a")).isEqualTo("x\né\"");
        assertThat(m.get("big")).isEqualTo(1.8446744073709552E19);
    }

    @Test
    void writesCompactAndIndentedAsDockerDoes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", "a<b>&\t");
        m.put("List", List.of(1L, 2.5));
        m.put("Empty", Map.of());
        m.put("None", null);
        assertThat(Json.write(m)).isEqualTo("{\"Name\":\"a<b>&\\t\",\"List\":[1,2.5],\"Empty\":{},\"None\":null}");
        assertThat(Json.writeIndented(List.of(m))).isEqualTo("[\n    {\n        \"Name\": \"a<b>&\\t\",\n        \"List\": [\n            1,\n"
                + "            2.5\n        ],\n        \"Empty\": {},\n        \"None\": null\n    }\n]");
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }

    @Test
    void escapesStringsAsTheJsonTemplateFunctionDoes() {
        // The same escaping as --format '{{json .}}' (module template): Go's encoder without HTML escaping.
        String s = "\"\\\n\b\f\u0001<>&\u2028\ud83d\ude00\ud800";
        assertThat(Json.write(s)).isEqualTo("\"\\\"\\\\\\n\\b\\f\\u0001<>&\\u2028\ud83d\ude00\\ufffd\"");
        assertThat(Json.write(s)).isEqualTo(dev.gantry.template.Template.parse("{{json .}}").execute(s));
    }

    @Test
    void badJsonNamesTheOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(GantryException.class).hasMessageContaining("offset 6");
        assertThatThrownBy(() -> Json.parse("[1,")).isInstanceOf(GantryException.class).hasMessageContaining("end of input");
        assertThatThrownBy(() -> Json.parse("1 2")).isInstanceOf(GantryException.class);
    }
}
