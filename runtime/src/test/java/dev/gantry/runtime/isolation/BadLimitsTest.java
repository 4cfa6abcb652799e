package dev.gantry.runtime.isolation;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.runtime.CreateOptions;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.Rlimit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Limits this host cannot apply: create fails with one line naming the config field and the
 * host's reason, and leaves no state directory, no cgroup directory and no process.
 */
@RequiresRoot
class BadLimitsTest extends InProcessContainers {
    private static final int CAP_SYS_RESOURCE = 24;

    static Stream<Arguments> refusedLimits() {
        return Stream.of(
                bad("quota", s -> s.set("linux.resources.cpu", Map.of("quota", 500, "period", 100_000)),
                        "linux.resources.cpu.quota", "Invalid argument"),
                bad("blkio", s -> s.set("linux.resources.blockIO", Map.of("weight", 2000)),
                        "linux.resources.blockIO.weight", "(out of range|Invalid argument|CFQ/BFQ)"),
                bad("cpuset", s -> s.set("linux.resources.cpu", Map.of("cpus", "1023")),
                        "linux.resources.cpu.cpus", "(out of range|Invalid argument)"),
                bad("hugetlb", s -> s.set("linux.resources.hugepageLimits", List.of(Map.of("pageSize", "3MB", "limit", 0))),
                        "linux.resources.hugepageLimits", "3MB"),
                bad("oomearly", s -> s.set("linux.resources.memory", Map.of("limit", 4096, "swap", 4096)),
                        "linux.resources.memory.limit", "(killed by the OOM killer|Device or resource busy|Invalid argument)"),
                bad("systemd", s -> s.set("linux.cgroupsPath", "system.slice:gantry:x"),
                        "linux.cgroupsPath", "systemd"));
    }

    private static Arguments bad(String label, UnaryOperator<OciSpec> change, String field, String reason) {
        return Arguments.of(label, change, field, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedLimits")
    void refusedLimitFailsCreateAndLeavesNothing(String label, UnaryOperator<OciSpec> change, String field,
            String reason) throws IOException {
        assertRefused(label, change.apply(OciSpec.runcDefault().args("sleep", "100")), field, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllers")
    void missingControllerFailsCreateAndLeavesNothing(String controller, String field, Object value) throws IOException {
        assumeThat(CGROUP_ROOT.resolve(controller)).as("this host has a " + controller + " hierarchy").doesNotExist();
        assertRefused(controller, OciSpec.runcDefault().args("sleep", "100").set(field, value), field,
                "no " + controller + " cgroup controller");
    }

    static Stream<Arguments> controllers() {
        return Stream.of(Arguments.of("rdma", "linux.resources.rdma", Map.of("mlx5_0", Map.of("hcaHandles", 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlimitTypes")
    void rlimitAboveTheHostsHardLimitFailsCreateAndLeavesNothing(String type) throws IOException {
        assumeThat(holdsCapability(CAP_SYS_RESOURCE)).as("without CAP_SYS_RESOURCE hard limits cannot be raised").isFalse();
        long hostHard = hardLimit(type);
        assumeThat(hostHard).as(type + " is limited on this host").isNotNegative();
        OciSpec spec = OciSpec.runcDefault().args("sleep", "100").rlimit(new Rlimit(type, hostHard + 1, hostHard + 1));
        assertRefused("rlimit", spec, "process.rlimits", "CAP_SYS_RESOURCE");
    }

    static Stream<String> rlimitTypes() {
        return Stream.of("RLIMIT_NOFILE");
    }

    private void assertRefused(String label, OciSpec spec, String field, String reason) throws IOException {
        String id = newId(label);
        GantryException e = catchThrowableOfType(GantryException.class,
                () -> rt.create(id, bundle(spec).dir(), CreateOptions.defaults()));
        assertThat(e).as("create with a bad " + field).isNotNull();
        assertThat(e.kind()).isIn(ErrorKind.INVALID_ARGUMENT, ErrorKind.UNAVAILABLE);
        assertThat(e.getMessage()).doesNotContain("\n").contains(field).containsPattern(reason);
        assertNothingLeft(List.of(id));
        // No process of ours is left, alive or zombie.
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                assertThat(Files.readString(task.resolve("children")).strip()).as("children of " + task).isEmpty();
            }
        }
    }

    private static boolean holdsCapability(int cap) {
        String status = read(Path.of("/proc/self/status"));
        long eff = status.lines().filter(l -> l.startsWith("CapEff:")).map(l -> Long.parseUnsignedLong(l.substring(7).strip(), 16))
                .findFirst().orElseThrow();
        return (eff & (1L << cap)) != 0;
    }

    /** The hard limit of our own process from /proc/self/limits; -1 when unlimited. */
    private static long hardLimit(String type) {
        String name = Map.of("RLIMIT_NOFILE", "Max open files").get(type);
        for (String line : read(Path.of("/proc/self/limits")).split("\n")) {
            if (line.startsWith(name)) {
                String hard = line.substring(name.length()).strip().split("\\s+")[1];
                return hard.equals("unlimited") ? -1 : Long.parseLong(hard);
            }
        }
        throw new AssertionError("no " + name + " in /proc/self/limits");
    }
}
