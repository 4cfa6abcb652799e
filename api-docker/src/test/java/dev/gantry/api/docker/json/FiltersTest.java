package dev.gantry.api.docker.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersTest {
    @Test
    void listFormAndMapFormReadAlike() {
        Filters list = Filters.parse("{\"status\":[\"running\",\"paused\"],\"label\":[\"a=b\"]}");
        Filters map = Filters.parse("{\"status\":{\"running\":true,\"paused\":true,\"exited\":false},\"label\":{\"a=b\":true}}");
        assertThat(list).isEqualTo(map);
        assertThat(list.get("status")).containsExactly("running", "paused");
        assertThat(list.matches("status", "paused")).isTrue();
        assertThat(list.matches("status", "exited")).isFalse();
        assertThat(list.matches("name", "anything")).isTrue();
    }

    @Test
    void absentOrEmptyMeansNone() {
        assertThat(Filters.parse(null)).isEqualTo(Filters.NONE);
        assertThat(Filters.parse("")).isEqualTo(Filters.NONE);
        assertThat(Filters.parse("{}").isEmpty()).isTrue();
    }

    @Test
    void malformedFiltersAreInvalidArguments() {
        assertThatThrownBy(() -> Filters.parse("{\"status\":")).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> Filters.parse("[1]")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> Filters.parse("{\"status\":\"running\"}")).hasMessageContaining("must be a list or a map");
        assertThatThrownBy(() -> Filters.parse("{\"status\":[1]}")).hasMessageContaining("must be strings");
        assertThatThrownBy(() -> Filters.parse("{\"status\":{\"running\":\"yes\"}}")).hasMessageContaining("must be a boolean");
    }

    @Test
    void unknownNamesAreRefusedAsDockerDoes() {
        Filters f = Filters.parse("{\"colour\":[\"red\"]}");
        assertThatThrownBy(() -> f.requireOnly(Set.of("status"))).hasMessage("invalid filter 'colour'");
        assertThat(Filters.parse("{\"status\":[\"x\"]}").requireOnly(Set.of("status")).has("status")).isTrue();
    }

    @Test
    void labelFilterNeedsKeyOrKeyAndValue() {
        Filters f = Filters.parse("{\"label\":[\"tier\",\"env=prod\"]}");
        assertThat(f.matchesLabels("label", Map.of("tier", "web", "env", "prod"))).isTrue();
        assertThat(f.matchesLabels("label", Map.of("tier", "web", "env", "dev"))).isFalse();
        assertThat(f.matchesLabels("label", Map.of("env", "prod"))).isFalse();
        assertThat(Filters.NONE.matchesLabels("label", null)).isTrue();
    }
}
