package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The figures of {@code docker system df}, as the docker CLI computes them from gantryd's
 * {@code /system/df}: images counted once per ID, active when a container (running or not)
 * uses them, their size the layers' total with shared layers counted once; containers with
 * the size of their writable layers; named volumes active when a container mounts them, with
 * the size of their content. One daemon of its own, so that no other test's objects count.
 */
@SharedGantryd
class GantrydSystemDfTest {
    private static final String DOCKER = GantrydProcess.DOCKER;
    private static final String IMAGE = GantrydProcess.IMAGE;
    /** docker's units.HumanSize: four significant digits, decimal units. */
    private static final Pattern HUMAN = Pattern.compile("([0-9.]+)(B|kB|MB|GB)\\b.*");

    private final GantrydProcess gantryd;

    GantrydSystemDfTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    @Test
    void systemDfCountsAndSizesImagesContainersAndVolumes() throws Exception {
        try {
            gantryd.ok(DOCKER, "run", "-d", "--name", "df-run", IMAGE, "sh", "-c",
                    "dd if=/dev/zero of=/big bs=1024 count=60 2>/dev/null; touch /written; exec sleep 1000");
            GantrydNetworkTest.eventually(() ->
                    assertThat(gantryd.docker(DOCKER, "exec", "df-run", "test", "-e", "/written").exitCode()).isZero());
            // A second image whose first layer is busybox's: docker counts that layer once.
            gantryd.ok(DOCKER, "commit", "df-run", "df-committed:1");
            gantryd.ok(DOCKER, "run", "--name", "df-done", IMAGE, "true");
            gantryd.ok(DOCKER, "volume", "create", "df-vol");
            gantryd.ok(DOCKER, "volume", "create", "df-idle");
            gantryd.ok(DOCKER, "run", "--name", "df-writer", "-v", "df-vol:/data", IMAGE, "dd", "if=/dev/zero", "of=/data/f",
                    "bs=1024", "count=30");

            Map<String, JsonNode> df = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : gantryd.ok(DOCKER, "system", "df", "--format", "{{json .}}").lines().toList()) {
                JsonNode row = json.readTree(line);
                df.put(row.get("Type").asText(), row);
            }
            assertThat(df).containsOnlyKeys("Images", "Containers", "Local Volumes", "Build Cache");

            List<String> imageIds = gantryd.ok(DOCKER, "images", "-q", "--no-trunc").lines().distinct().toList();
            assertThat(imageIds).hasSize(2);
            JsonNode images = df.get("Images");
            assertThat(images.get("TotalCount").asText()).isEqualTo("2");
            assertThat(images.get("Active").asText()).as("busybox:it is used, df-committed:1 is not").isEqualTo("1");
            long busybox = Long.parseLong(gantryd.ok(DOCKER, "image", "inspect", "--format", "{{.Size}}", IMAGE).trim());
            long committed = Long.parseLong(gantryd.ok(DOCKER, "image", "inspect", "--format", "{{.Size}}", "df-committed:1").trim());
            assertThat(committed - busybox).as("the committed layer").isBetween(60L * 1024, 80L * 1024);
            assertThat((double) bytes(images.get("Size").asText())).as("the layers, busybox's counted once")
                    .isCloseTo(committed, within(committed * 0.001 + 1));

            // The API's figures behind them: busybox's layer is shared by both images, and used by the three containers.
            Process curl = new ProcessBuilder("curl", "-sf", "--unix-socket", gantryd.socket.toString(), "http://localhost/system/df").start();
            JsonNode api = json.readTree(curl.getInputStream().readAllBytes());
            assertThat(curl.waitFor()).isZero();
            assertThat(api.get("LayersSize").asLong()).isEqualTo(committed);
            Map<String, String> perImage = new HashMap<>();
            api.get("Images").forEach(i -> perImage.put(i.get("RepoTags").get(0).asText(),
                    i.get("Size").asLong() + " " + i.get("SharedSize").asLong() + " " + i.get("Containers").asLong()));
            assertThat(perImage).containsOnly(Map.entry(IMAGE, busybox + " " + busybox + " 3"),
                    Map.entry("df-committed:1", committed + " " + busybox + " 0"));
            // GET /images/json leaves SharedSize out (-1) unless asked for it with shared-size=1, as dockerd does.
            assertThat(sharedSizes(gantryd, "")).containsOnly(Map.entry(IMAGE, -1L), Map.entry("df-committed:1", -1L));
            assertThat(sharedSizes(gantryd, "?shared-size=1")).containsOnly(Map.entry(IMAGE, busybox), Map.entry("df-committed:1", busybox));

            JsonNode containers = df.get("Containers");
            assertThat(containers.get("TotalCount").asText()).isEqualTo("3");
            assertThat(containers.get("Active").asText()).isEqualTo("1");
            assertThat(bytes(containers.get("Size").asText())).as("the writable layers: df-run's 60 kB file")
                    .isBetween(60L * 1024, 80L * 1024);
            assertThat(bytes(containers.get("Reclaimable").asText())).as("the exited containers wrote nothing of size")
                    .isLessThan(4096);

            JsonNode volumes = df.get("Local Volumes");
            assertThat(volumes.get("TotalCount").asText()).isEqualTo("2");
            assertThat(volumes.get("Active").asText()).as("df-vol is mounted by df-writer, df-idle by none").isEqualTo("1");
            assertThat(bytes(volumes.get("Size").asText())).as("df-vol's 30 kB file").isBetween(30L * 1024, 34L * 1024);
            assertThat(bytes(volumes.get("Reclaimable").asText())).as("only the unused volume is reclaimable").isZero();

            assertThat(df.get("Build Cache").get("TotalCount").asText()).isEqualTo("0");

            gantryd.ok(DOCKER, "rm", "-f", "df-run", "df-done", "df-writer");
            gantryd.ok(DOCKER, "volume", "rm", "df-vol", "df-idle");
            gantryd.ok(DOCKER, "rmi", "df-committed:1");
            Map<String, String> after = new HashMap<>();
            for (String line : gantryd.ok(DOCKER, "system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}").lines().toList()) {
                int sp = line.lastIndexOf(' ', line.lastIndexOf(' ') - 1);
                after.put(line.substring(0, sp), line.substring(sp + 1));
            }
            assertThat(after).containsEntry("Images", "1 0").containsEntry("Containers", "0 0").containsEntry("Local Volumes", "0 0");
        } finally {
            // The daemon's leak check, after the class, wants no container left.
            gantryd.docker(DOCKER, "rm", "-f", "df-run", "df-done", "df-writer");
        }
    }

    /** Each image's first tag → its SharedSize in {@code GET /images/json<query>}. */
    private static Map<String, Long> sharedSizes(GantrydProcess gantryd, String query) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sf", "--unix-socket", gantryd.socket.toString(), "http://localhost/images/json" + query)
                .start();
        JsonNode list = new ObjectMapper().readTree(curl.getInputStream().readAllBytes());
        assertThat(curl.waitFor()).isZero();
        Map<String, Long> out = new HashMap<>();
        list.forEach(i -> out.put(i.get("RepoTags").get(0).asText(), i.get("SharedSize").asLong()));
        return out;
    }

    /** Bytes from docker's human-readable size (rounded to four digits), e.g. "61.44kB (98%)". */
    private static long bytes(String human) {
        Matcher m = HUMAN.matcher(human);
        assertThat(m.matches()).as("a size: %s", human).isTrue();
        long unit = switch (m.group(2)) {
            case "kB" -> 1000L;
            case "MB" -> 1000_000L;
            case "GB" -> 1000_000_000L;
            default -> 1L;
        };
        return Math.round(Double.parseDouble(m.group(1)) * unit);
    }
}
