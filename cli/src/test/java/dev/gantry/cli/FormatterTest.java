package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormatterTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Map<String, Object> container(String name, String command) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Id", ID);
        c.put("Names", List.of("/" + name, "/other/link"));
        c.put("Image", "busybox");
        c.put("Command", command);
        c.put("Created", 1000L);
        c.put("Ports", List.of(Map.of("IP", "0.0.0.0", "PrivatePort", 80L, "PublicPort", 8080L, "Type", "tcp"),
                Map.of("PrivatePort", 53L, "Type", "udp")));
        c.put("Labels", Map.of("tier", "web"));
        c.put("State", "running");
        c.put("Status", "Up 2 minutes");
        return c;
    }

    private static List<Row> rows() {
        return List.of(ContainerRows.row(container("web", "sh -c 'while true; do sleep 1; done'"), true, 1130),
                ContainerRows.row(container("database-primary", "sleep 100"), true, 1130));
    }

    private static String render(String format, List<Row> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Formatter.rows(out, format, rows, ContainerRows.TITLES);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rowsCarryDockersTruncatedFields() {
        Row r = rows().getFirst();
        assertThat(r.get("ID")).isEqualTo("0123456789ab");
        assertThat(r.get("Command")).isEqualTo("\"sh -c 'while true; …\"");
        assertThat(r.get("Names")).isEqualTo("web");
        assertThat(r.get("Ports")).isEqualTo("0.0.0.0:8080->80/tcp, 53/udp");
        assertThat(r.get("RunningFor")).isEqualTo("2 minutes ago");
        assertThat(r.get("Labels")).isEqualTo("tier=web");
        java.time.ZonedDateTime created = java.time.Instant.ofEpochSecond(1000).atZone(java.time.ZoneId.systemDefault());
        assertThat(r.get("CreatedAt")).as("Go's time format, as docker prints it")
                .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z").format(created));
        Row full = ContainerRows.row(container("web", "sleep 100"), false, 1130);
        assertThat(full.get("ID")).isEqualTo(ID);
        assertThat(full.get("Names")).isEqualTo("web,other/link");
    }

    @Test
    void tablePrefixPrintsHeadersAndAlignsColumns() {
        assertThat(render("table {{.ID}}\\t{{.Names}}\\t{{.Status}}", rows())).isEqualTo(
                "CONTAINER ID   NAMES              STATUS\n"
                        + "0123456789ab   web                Up 2 minutes\n"
                        + "0123456789ab   database-primary   Up 2 minutes\n");
    }

    @Test
    void plainTemplatesPrintOneLinePerRowWithLabelLookups() {
        assertThat(render("{{.Names}}:{{.Label \"tier\"}}:{{.Label \"none\"}}", rows())).isEqualTo("web:web:\ndatabase-primary:web:\n");
        assertThat(render("{{.Names | upper}}", rows())).isEqualTo("WEB\nDATABASE-PRIMARY\n");
    }

    @Test
    void jsonPrintsEveryFieldOfARow() {
        String json = render("{{json .}}", rows().subList(0, 1));
        assertThat(Json.parseObject(json.strip())).containsEntry("Names", "web").containsEntry("ID", "0123456789ab")
                .containsKeys("Command", "CreatedAt", "RunningFor", "Ports", "State", "Status", "Size", "Labels", "Mounts", "Networks", "LocalVolumes");
        assertThat(render("json", rows())).isEqualTo(json + render("json", rows().subList(1, 2)));
    }

    @Test
    void badTemplatesAndUnknownFieldsFailWithOneLine() {
        assertThatThrownBy(() -> render("{{.ID", rows())).isInstanceOf(GantryException.class).hasMessageStartingWith("template parsing error")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> render("{{.Nope}}", rows())).isInstanceOf(GantryException.class).hasMessageContaining("Nope");
    }

    @Test
    void eachRunsTheTemplateOnInspectData() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Formatter.each(new PrintStream(bytes, true, StandardCharsets.UTF_8), "{{.State.Status}} {{index .Config.Cmd 0}} {{range .Config.Env}}[{{.}}]{{end}}",
                List.of(Map.of("State", Map.of("Status", "running"), "Config", Map.of("Cmd", List.of("sh"), "Env", List.of("A=1", "B=2")))));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("running sh [A=1][B=2]\n");
    }

    @Test
    void tableWidthsFollowTabwriter() {
        Table t = new Table();
        t.line("A\tBB\tlast");
        t.line("a-much-longer-cell\tb\tz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "A" + " ".repeat(20) + "BB" + " ".repeat(8) + "last\n"
                        + "a-much-longer-cell" + " ".repeat(3) + "b" + " ".repeat(9) + "z\n");
    }
}
