package dev.gantry.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every template of {@code go-conformance.txt} through the docker CLI, whose {@code --format}
 * is Go's text/template with docker's functions, and through this module: where Go prints, the
 * output must be the same; where Go fails, this must fail too. {@code docker context inspect}
 * formats local context data and talks to no daemon. Skipped where no docker CLI is installed
 * (Debian package docker.io).
 */
class DockerCliConformanceTest {
    /** What the docker CLI did with one template. */
    record GoResult(String template, boolean ok, String output) {}

    private static Path config;
    private static List<GoResult> results;

    @BeforeAll
    static void runDocker() throws Exception {
        Path docker = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(dir -> Path.of(dir, "docker")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(docker != null, "no docker CLI on PATH");
        // An empty client configuration: the test neither reads nor writes the user's.
        config = Files.createTempDirectory("gantry-template-docker-config");
        List<String> templates = new ArrayList<>();
        try (InputStream in = DockerCliConformanceTest.class.getResourceAsStream("/go-conformance.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty() && !line.startsWith("# ")) {
                    templates.add(line);
                }
            }
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<GoResult>> futures = new ArrayList<>();
            for (String template : templates) {
                futures.add(pool.submit(() -> run(docker, template)));
            }
            results = new ArrayList<>();
            for (Future<GoResult> f : futures) {
                results.add(f.get());
            }
        }
    }

    private static GoResult run(Path docker, String template) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(docker.toString(), "context", "inspect", "default", "--format", template);
        pb.environment().put("DOCKER_CONFIG", config.toString());
        pb.environment().remove("DOCKER_CONTEXT");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ok = process.waitFor() == 0;
        return new GoResult(template, ok, out.endsWith("\n") ? out.substring(0, out.length() - 1) : out);
    }

    @AfterAll
    static void removeConfig() throws IOException {
        if (config != null) {
            try (Stream<Path> paths = Files.walk(config)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> sameOutputAsGo() {
        assertThat(results).hasSizeGreaterThan(200);
        // About half the templates print: a docker CLI failing for its own reasons shows up here.
        assertThat(results.stream().filter(GoResult::ok).count()).isGreaterThan(results.size() / 3);
        return results.stream().map(r -> DynamicTest.dynamicTest(r.template(), () -> {
            if (r.ok()) {
                assertThat(Template.parse(r.template()).execute(Map.of())).isEqualTo(r.output());
            } else {
                assertThatThrownBy(() -> Template.parse(r.template()).execute(Map.of()))
                        .isInstanceOf(TemplateException.class);
            }
        }));
    }
}
