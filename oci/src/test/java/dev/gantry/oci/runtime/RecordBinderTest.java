package dev.gantry.oci.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordBinderTest {
    private static <T> T bind(String json, Class<T> type) {
        return RecordBinder.bind(JsonTree.parse(json.getBytes(UTF_8), "doc.json"), type, "doc.json");
    }

    @Test
    void defaultSpecSurvivesWriteAndBind() {
        Spec spec = OciSpecs.defaultSpec();
        assertThat(bind(new String(JsonTree.write(spec), UTF_8), Spec.class)).isEqualTo(spec);
        assertThat(bind(new String(JsonTree.write(spec, true), UTF_8), Spec.class)).isEqualTo(spec);
    }

    @Test
    void writesOnlyComponentsAndOmitsNulls() {
        String json = new String(JsonTree.write(new Mount("/proc", "proc", "proc", null)), UTF_8);
        // Mount has isBind() and optionsOrEmpty(): methods, not properties.
        assertThat(json).isEqualTo("{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}");
    }

    @Test
    void renamedComponentsUseTheirJsonNames() {
        LinuxIOPriority p = bind("{\"class\":\"IOPRIO_CLASS_RT\",\"priority\":2}", LinuxIOPriority.class);
        assertThat(p).isEqualTo(new LinuxIOPriority("IOPRIO_CLASS_RT", 2));
        assertThat(new String(JsonTree.write(new CPUAffinity("0-1", "1")), UTF_8))
                .isEqualTo("{\"initial\":\"0-1\",\"final\":\"1\"}");
    }

    @Test
    void uint64KeepsTheFullRangeAsABitPattern() {
        LinuxMemory m = bind("{\"limit\":-1,\"swappiness\":18446744073709551615}", LinuxMemory.class);
        assertThat(m.limit()).isEqualTo(-1L);
        assertThat(m.swappiness()).isEqualTo(-1L);
        assertThat(new String(JsonTree.write(m), UTF_8)).isEqualTo("{\"limit\":-1,\"swappiness\":18446744073709551615}");
        assertThatThrownBy(() -> bind("{\"swappiness\":18446744073709551616}", LinuxMemory.class))
                .hasMessage("doc.json: swappiness: must be an unsigned 64-bit integer, got 18446744073709551616");
        assertThatThrownBy(() -> bind("{\"swappiness\":-1}", LinuxMemory.class))
                .hasMessage("doc.json: swappiness: must be an unsigned 64-bit integer, got -1");
    }

    @Test
    void typesAreStrictAndErrorsNameTheJsonPath() {
        assertThatThrownBy(() -> bind("{\"process\":{\"terminal\":\"yes\"}}", Spec.class))
                .isInstanceOf(GantryException.class)
                .hasMessage("doc.json: process.terminal: must be true or false, got \"yes\"")
                .extracting(e -> ((GantryException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThatThrownBy(() -> bind("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1.5}]}}", Spec.class))
                .hasMessage("doc.json: process.rlimits[0].hard: must be an unsigned 64-bit integer, got 1.5");
        assertThatThrownBy(() -> bind("{\"process\":{\"user\":{\"uid\":\"0\"}}}", Spec.class))
                .hasMessage("doc.json: process.user.uid: must be an integer, got \"0\"");
        assertThatThrownBy(() -> bind("{\"mounts\":{}}", Spec.class))
                .hasMessage("doc.json: mounts: must be an array, got an object");
        assertThatThrownBy(() -> bind("[]", Spec.class)).hasMessage("doc.json: (document): must be an object, got an array");
        assertThatThrownBy(() -> bind("{\"process\":{\"oomScoreAdj\":4294967296}}", Spec.class))
                .hasMessage("doc.json: process.oomScoreAdj: must be a 32-bit integer, got 4294967296");
    }

    @Test
    void unknownFieldsAreIgnoredAndNullsReadAsAbsent() {
        Root root = bind("{\"path\":\"rootfs\",\"readonly\":null,\"vendor.x\":{\"a\":[1,2]}}", Root.class);
        assertThat(root).isEqualTo(new Root("rootfs", false));
    }

    @Test
    void enumsUseTheirJsonCreatorAndItsMessage() {
        State s = bind("{\"ociVersion\":\"1.2.0\",\"id\":\"a\",\"status\":\"running\",\"pid\":4}", State.class);
        assertThat(s.status()).isEqualTo(State.Status.RUNNING);
        assertThat(new String(JsonTree.write(s), UTF_8)).contains("\"status\":\"running\"");
        assertThatThrownBy(() -> bind("{\"status\":\"sleeping\"}", State.class))
                .hasMessage("doc.json: status: unknown container status \"sleeping\"");
    }

    @Test
    void mapsAndRawTreesKeepTheirOrder() {
        State s = bind("{\"annotations\":{\"b\":\"1\",\"a\":\"2\"}}", State.class);
        assertThat(s.annotations().keySet()).containsExactly("b", "a");
        Object tree = JsonTree.parse("{\"x\":[1,\"y\",true,null,2.5,18446744073709551615]}".getBytes(UTF_8), "t");
        assertThat(tree).isEqualTo(Map.of("x", java.util.Arrays.asList(1L, "y", true, null, 2.5,
                new java.math.BigInteger("18446744073709551615"))));
        assertThat(new String(JsonTree.write(tree), UTF_8)).isEqualTo("{\"x\":[1,\"y\",true,null,2.5,18446744073709551615]}");
        assertThat(JsonTree.write(List.of())).isEqualTo("[]".getBytes(UTF_8));
    }

    @Test
    void malformedDocumentsNameLineAndColumn() {
        assertThatThrownBy(() -> JsonTree.parse("{\n  \"a\": tru\n}".getBytes(UTF_8), "doc.json"))
                .hasMessageStartingWith("doc.json: malformed JSON at line 2, column ");
        assertThatThrownBy(() -> JsonTree.parse("{} {}".getBytes(UTF_8), "doc.json"))
                .hasMessage("doc.json: malformed JSON at line 1, column 4: trailing content after the document");
        assertThatThrownBy(() -> JsonTree.parse(new byte[0], "doc.json"))
                .hasMessage("doc.json: malformed JSON: empty document");
    }

    @Test
    void aRecordsOwnCheckIsReportedAtItsPath() {
        assertThatThrownBy(() -> bind("{\"data\":{\"count\":-1}}", Checked.class))
                .hasMessage("doc.json: data: count must not be negative");
    }

    record Checked(Inner data) {
    }

    record Inner(int count) {
        Inner {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative");
            }
        }
    }
}
