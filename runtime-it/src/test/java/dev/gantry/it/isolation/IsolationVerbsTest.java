package dev.gantry.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testkit.CliResult;
import dev.gantry.testkit.Deadline;
import dev.gantry.testkit.Hook;
import dev.gantry.testkit.HookKind;
import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.OciBundle;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RunningCli;
import dev.gantry.testkit.RuntimeCli;
import dev.gantry.testkit.RuntimeSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * runc's verbs for limits through the runtime binary: events (stats and OOM), pause and
 * resume as seen by state and list, and update from flags and from a resources file.
 * The sandbox fails a test that leaves a container, cgroup, mount or process behind.
 *
 * <p>Against runc 1.1 ({@code -Dgantry.runc=/usr/bin/runc}) four tests fail, each on a
 * deliberate difference: runc's {@code events} keeps printing after the container stopped
 * (Gantry's ends with it); a new {@code --memory} alone leaves runc's equal swap limit behind,
 * so the kernel refuses it (Gantry's follows, keeping swap off); runc reports a refused update
 * on two lines and a second pause as "container not running" (Gantry: one line naming the
 * field; "it is paused").
 */
@RequiresRoot
class IsolationVerbsTest {
    private static final long MIB = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();

    private RuntimeCli cli() {
        return sandbox.cli();
    }

    private String started(OciSpec spec) {
        String id = sandbox.newId();
        OciBundle b = sandbox.bundle(spec);
        cli().invoke("create", "--bundle", b.dir().toString(), id).assertSuccess();
        cli().invoke("start", id).assertSuccess();
        return id;
    }

    @Test
    void eventsStreamsStatsAndReportsAnOomKillThenEndsWithTheContainer() {
        OciSpec spec = OciSpec.runcDefault()
                .shell("dd if=/dev/zero of=/dev/null bs=64M count=1; exec sleep 100")
                .set("linux.resources.memory", Map.of("limit", 32 * MIB, "swap", 32 * MIB));
        String id = sandbox.newId();
        OciBundle b = sandbox.bundle(spec);
        cli().invoke("create", "--bundle", b.dir().toString(), id).assertSuccess();
        RunningCli events = cli().start("events", "--interval", "200ms", id);
        // A first stats line means the OOM watch is in place: only then may dd run.
        Deadline.await(Duration.ofSeconds(15), () -> lines(events.stdoutSoFar()).stream().anyMatch(l -> type(l).equals("stats")),
                events::describeSoFar);
        cli().invoke("start", id).assertSuccess();
        Deadline.await(Duration.ofSeconds(15), () -> lines(events.stdoutSoFar()).stream().anyMatch(l -> type(l).equals("oom")),
                events::describeSoFar);

        List<JsonNode> all = lines(events.stdoutSoFar());
        JsonNode oom = all.stream().filter(l -> type(l).equals("oom")).findFirst().orElseThrow();
        assertThat(oom.get("id").asText()).isEqualTo(id);
        assertThat(oom.has("data")).isFalse();
        JsonNode stats = all.stream().filter(l -> type(l).equals("stats")).findFirst().orElseThrow();
        assertThat(stats.get("id").asText()).isEqualTo(id);
        assertThat(stats.at("/data/memory/usage/limit").asLong()).isEqualTo(32 * MIB);
        assertThat(stats.at("/data/pids/current").asLong()).isPositive();

        cli().invoke("kill", id, "KILL").assertSuccess();
        CliResult ended = events.await(Duration.ofSeconds(15));
        assertThat(ended.exitCode()).as(ended.describe()).isZero();
    }

    @Test
    void eventsStatsPrintsOneSnapshot() {
        String id = started(OciSpec.runcDefault().args("sleep", "100").set("linux.resources.pids", Map.of("limit", 7)));
        CliResult r = cli().invoke("events", "--stats", id).assertSuccess();
        List<JsonNode> out = lines(r.stdout());
        assertThat(out).hasSize(1);
        JsonNode e = out.getFirst();
        assertThat(type(e)).isEqualTo("stats");
        assertThat(e.at("/data/pids/current").asLong()).isEqualTo(1);
        assertThat(e.at("/data/pids/limit").asLong()).isEqualTo(7);
        assertThat(e.at("/data/cpu/usage/total").asLong()).isPositive();
        assertThat(e.at("/data/memory/usage/usage").asLong()).isPositive();
    }

    @Test
    void pauseAndResumeShowInStateAndList() {
        String id = started(OciSpec.runcDefault().args("sleep", "100"));
        cli().invoke("pause", id).assertSuccess();
        assertThat(cli().state(id).status()).isEqualTo("paused");
        assertThat(cli().list()).filteredOn(s -> s.id().equals(id)).extracting(s -> s.status()).containsExactly("paused");
        assertThat(read(cgroupDir(id, "freezer").resolve("freezer.state"))).isEqualTo("FROZEN");
        CliResult again = cli().invoke("pause", id);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.stderr()).contains("paused");

        cli().invoke("resume", id).assertSuccess();
        assertThat(cli().state(id).status()).isEqualTo("running");
        assertThat(read(cgroupDir(id, "freezer").resolve("freezer.state"))).isEqualTo("THAWED");
    }

    @Test
    void pausedContainerIsForceDeleted() {
        String id = started(OciSpec.runcDefault().args("sleep", "100"));
        cli().invoke("pause", id).assertSuccess();
        long pid = cli().state(id).pid();
        assertThat(cli().invoke("delete", id).exitCode()).isNotZero();
        cli().invoke("delete", "--force", id).assertSuccess();
        // Dead: gone, or a zombie until whoever inherited it reaps it.
        assertThat(procState(pid)).isIn("gone", "Z");
    }

    private static String procState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "gone";
        }
    }

    @Test
    void updateFromFlagsAndFromAResourcesFileIsRememberedBetweenInvocations() throws IOException {
        String id = started(OciSpec.runcDefault().args("sleep", "100")
                .set("linux.resources.memory", Map.of("limit", 32 * MIB, "swap", 32 * MIB)));
        Path memory = cgroupDir(id, "memory");
        Path cpu = cgroupDir(id, "cpu");
        Path pids = cgroupDir(id, "pids");

        cli().invoke("update", "--memory", "64m", "--memory-swap", "64m", "--pids-limit", "20",
                "--cpu-quota", "50000", "--cpu-period", "100000", "--cpu-share", "256", id).assertSuccess();
        assertThat(read(memory.resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(64 * MIB));
        assertThat(read(memory.resolve("memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(64 * MIB));
        assertThat(read(pids.resolve("pids.max"))).isEqualTo("20");
        assertThat(read(cpu.resolve("cpu.cfs_quota_us"))).isEqualTo("50000");
        assertThat(read(cpu.resolve("cpu.shares"))).isEqualTo("256");

        Path file = sandbox.dir().resolve("resources.json");
        Files.writeString(file, "{\"pids\": {\"limit\": 30}, \"cpu\": {\"quota\": 20000}}");
        cli().invoke("update", "--resources", file.toString(), id).assertSuccess();
        assertThat(read(pids.resolve("pids.max"))).isEqualTo("30");
        assertThat(read(cpu.resolve("cpu.cfs_quota_us"))).isEqualTo("20000");

        // The previous invocation stored swap == limit (64m): a new limit alone keeps swap off,
        // which it can only know from the stored spec.
        cli().invoke("update", "--memory", "96m", id).assertSuccess();
        assertThat(read(memory.resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(96 * MIB));
        assertThat(read(memory.resolve("memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(96 * MIB));
        assertThat(read(cpu.resolve("cpu.shares"))).isEqualTo("256");
    }

    @Test
    void updateWithAValueTheKernelRefusesNamesTheField() {
        String id = started(OciSpec.runcDefault().args("sleep", "100"));
        CliResult r = cli().invoke("update", "--cpu-quota", "500", id);
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr().strip()).doesNotContain("\n").contains("linux.resources.cpu.quota").contains("Invalid argument");
        assertThat(cli().state(id).status()).isEqualTo("running");
        CliResult mixed = cli().invoke("update", "--resources", "-", "--pids-limit", "3", id);
        assertThat(mixed.exitCode()).isNotZero();
        assertThat(mixed.stderr()).contains("--resources");
    }

    @Test
    void malformedFlagValuesAreNamedAndChangeNothing() {
        String id = started(OciSpec.runcDefault().args("sleep", "100").set("linux.resources.pids", Map.of("limit", 9)));
        CliResult memory = cli().invoke("update", "--memory", "12q", "--pids-limit", "20", id);
        assertThat(memory.exitCode()).isNotZero();
        assertThat(memory.stderr()).contains("--memory").contains("12q");
        assertThat(read(cgroupDir(id, "pids").resolve("pids.max"))).isEqualTo("9");
        CliResult interval = cli().invoke("events", "--interval", "5x", id);
        assertThat(interval.exitCode()).isNotZero();
        assertThat(interval.stderr()).contains("--interval").contains("5x");
    }

    @Test
    void runtimeKilledMidCreateLeavesNothingAfterDeleteForce() {
        // The createRuntime hook runs while the init waits in its cgroup: it kills the runtime there.
        OciSpec spec = OciSpec.runcDefault().args("sleep", "100")
                .set("linux.resources.memory", Map.of("limit", 64 * MIB))
                .hook(HookKind.createRuntime, Hook.shell("kill -9 $PPID"));
        String id = sandbox.newId();
        OciBundle b = sandbox.bundle(spec);
        CliResult crashed = cli().invoke("create", "--bundle", b.dir().toString(), id);
        assertThat(crashed.exitCode()).as(crashed.describe()).isEqualTo(128 + 9);
        assertThat(cli().state(id).status()).isEqualTo("creating");
        assertThat(Leaks.cgroups(List.of(id))).as("the cgroup the crashed create made").isNotEmpty();

        CliResult deleted = cli().invoke("delete", "--force", id).assertSuccess();
        sandbox.assertNothingLeft(id, deleted);
    }

    /** The container's directory in the v1 hierarchy of {@code controller}, from its init's /proc/PID/cgroup. */
    private Path cgroupDir(String id, String controller) {
        long pid = cli().state(id).pid();
        for (String line : read(Path.of("/proc/" + pid + "/cgroup")).split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
                return CGROUP_ROOT.resolve(controller).resolve(f[2].substring(1));
            }
        }
        throw new AssertionError("process " + pid + " is in no " + controller + " cgroup");
    }

    private static List<JsonNode> lines(String text) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        return out;
    }

    private static String type(JsonNode event) {
        return event.path("type").asText();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
