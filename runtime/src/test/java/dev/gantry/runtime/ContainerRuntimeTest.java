package dev.gantry.runtime;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import dev.gantry.testkit.OciBundle;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime library in-process, against the real kernel. */
@RequiresRoot
class ContainerRuntimeTest {
    private final Syscalls sys = new LinuxSyscalls();
    private final List<String> warnings = new ArrayList<>();
    @TempDir
    Path tmp;
    private ContainerRuntime rt;
    private final List<String> ids = new ArrayList<>();

    @BeforeEach
    void setUp() {
        HelperBinary helper = HelperBinary.load(sys);
        rt = new ContainerRuntime(sys, tmp.resolve("state"), () -> helper, HostFacts::probe, Cgroups::host, warnings::add);
    }

    @AfterEach
    void cleanUp() {
        for (String id : ids) {
            try {
                rt.delete(id, true);
            } catch (GantryException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            }
        }
    }

    private OciBundle bundle(String name, OciSpec spec) {
        return OciBundle.create(tmp.resolve(name), spec.terminal(false));
    }

    private String id(String id) {
        ids.add(id);
        return id;
    }

    @Test
    void lifecycleReportsSpecStatusesAndExitCode() throws IOException {
        OciBundle b = bundle("b", OciSpec.runcDefault().shell("exit 7"));
        String id = id("life");
        ContainerRuntime.Created c = rt.create(id, b.dir(), CreateOptions.defaults());
        assertThat(rt.state(id).status()).isEqualTo(State.Status.CREATED);
        assertThat(rt.state(id).pid()).isEqualTo(c.pid());
        // Nobody else reaches the exec fifo (opening it starts the container): the init got it as a descriptor.
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("state"))))
                .isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("state/" + id))))
                .isEqualTo("rwx------");
        rt.start(id);
        assertThat(rt.waitForInit(c).shellCode()).isEqualTo(7);
        assertThat(rt.state(id).status()).isEqualTo(State.Status.STOPPED);
        rt.delete(id, false);
        assertThat(rt.store().exists(id)).isFalse();
        assertThat(tmp.resolve("state").resolve(id)).doesNotExist();
    }

    /**
     * CVE-2019-5736: while a container is created but not started, its init still runs the
     * helper's code. Neither the host's view of /proc/PID/exe nor a process in the container
     * may rewrite that code: the helper runs from a sealed memfd and is not dumpable.
     */
    @Test
    void helperBinaryCannotBeRewrittenThroughProcExe() throws Exception {
        OciBundle b = bundle("b", OciSpec.runcDefault().args("sleep", "100"));
        String id = id("cve");
        ContainerRuntime.Created c = rt.create(id, b.dir(), CreateOptions.defaults());
        Path exe = Path.of("/proc/" + c.pid() + "/exe");
        assertThat(Files.readSymbolicLink(exe).toString()).startsWith("/memfd:gantry-helper");
        assertThatThrownBy(() -> sys.open(exe.toString(), Syscalls.O_WRONLY | Syscalls.O_CLOEXEC, 0))
                .isInstanceOf(GantryException.class);
        int fd = sys.open(exe.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0);
        try {
            // F_GET_SEALS: write, grow, shrink and the seal itself are all set.
            assertThat(sys.fcntl(fd, 1034, 0) & 0xf).isEqualTo(0xf);
        } finally {
            sys.close(fd);
        }
        // From inside: a root process of the container tries to write its init's binary.
        dev.gantry.oci.runtime.Process p = rt.store().load(id).spec().process();
        var attack = new dev.gantry.oci.runtime.Process(false, null, p.user(),
                List.of("sh", "-c", "echo pwned > /proc/1/exe"), null, p.env(), "/", p.capabilities(), null,
                p.noNewPrivileges(), null, null, null, null, null, null);
        int pid = rt.exec(id, attack, new ContainerRuntime.ExecOptions(null, null, Map.of()));
        assertThat(rt.waitForChild(pid).shellCode()).isNotZero();
    }

    @Test
    void missingExecutableFailsCreateAndLeavesNothing() throws IOException {
        OciBundle b = bundle("b", OciSpec.runcDefault().args("no-such-binary"));
        assertThatThrownBy(() -> rt.create("missing", b.dir(), CreateOptions.defaults()))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("\"no-such-binary\": executable file not found");
        assertThat(rt.store().exists("missing")).isFalse();
        assertThat(tmp.resolve("state/missing")).doesNotExist();
        // No child of ours is left, zombie or alive.
        try (var children = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : children.toList()) {
                assertThat(Files.readString(task.resolve("children")).trim()).isEmpty();
            }
        }
    }

    @Test
    void execJoinsEveryNamespaceOfTheContainer() throws Exception {
        OciBundle b = bundle("b", OciSpec.runcDefault().args("sleep", "100"));
        String id = id("ns");
        ContainerRuntime.Created c = rt.create(id, b.dir(), CreateOptions.defaults());
        rt.start(id);
        dev.gantry.oci.runtime.Process p = rt.store().load(id).spec().process();
        var sleeper = new dev.gantry.oci.runtime.Process(false, null, p.user(), List.of("sleep", "100"), null,
                p.env(), "/", p.capabilities(), null, p.noNewPrivileges(), null, null, null, null, null, null);
        int pid = rt.exec(id, sleeper, new ContainerRuntime.ExecOptions(null, null, Map.of()));
        try {
            for (String ns : List.of("mnt", "pid", "net", "ipc", "uts")) {
                assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)))
                        .as(ns).isEqualTo(Files.readSymbolicLink(Path.of("/proc/" + c.pid() + "/ns/" + ns)));
            }
            assertThat(rt.ps(id)).contains(c.pid(), pid);
        } finally {
            sys.kill(pid, 9);
            rt.waitForChild(pid);
        }
    }

    /** The helper as PID 1 (`docker run --init`): signals reach the command, orphans are reaped. */
    @Test
    void initModeForwardsSignalsAndReapsOrphans() throws Exception {
        var init = new dev.gantry.testkit.Mount("/dev/init", "bind", rt.initBinary().toString(), List.of("bind", "ro"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        var outMount = new dev.gantry.testkit.Mount("/out", "bind", out.toString(), List.of("bind"));
        OciBundle reaper = bundle("reaper", OciSpec.runcDefault().mount(init).mount(outMount).args("/dev/init", "--",
                "sh", "-c", "(sh -c 'exit 0' &); sleep 0.3; ps -o pid,stat,comm > /out/ps.txt; exit 4"));
        String id = id("reaper");
        ContainerRuntime.Created c = rt.create(id, reaper.dir(), CreateOptions.defaults());
        rt.start(id);
        assertThat(rt.waitForInit(c).shellCode()).isEqualTo(4);
        String ps = Files.readString(out.resolve("ps.txt"));
        assertThat(ps).containsPattern("(?m)^\\s*1\\s+\\S+\\s+init$").doesNotContainPattern("(?m)^\\s*\\d+\\s+Z");

        // `sleep` as PID 1 would ignore SIGTERM (no handler); under the init it dies of it.
        OciBundle sleeper = bundle("sleeper", OciSpec.runcDefault().mount(init).args("/dev/init", "--", "sleep", "100"));
        String sid = id("sleeper");
        ContainerRuntime.Created s2 = rt.create(sid, sleeper.dir(), CreateOptions.defaults());
        rt.start(sid);
        // Until the init runs its command it is still the helper, PID 1 of its namespace with no
        // handler, and the kernel drops a SIGTERM to it: wait for the command to be its child.
        Path children = Path.of("/proc/" + s2.pid() + "/task/" + s2.pid() + "/children");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.readString(children).isBlank() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        rt.kill(sid, 15, false);
        assertThat(rt.waitForInit(s2).shellCode()).isEqualTo(128 + 15);
    }

    /** readonlyPaths cover the mounts below them too (a plain remount is not recursive). */
    @Test
    void readonlyPathsAreReadOnlyAllTheWayDown() throws Exception {
        OciBundle b = bundle("ro", OciSpec.runcDefault()
                .mount(new dev.gantry.testkit.Mount("/ro", "tmpfs", "tmpfs", List.of("size=1m")))
                .mount(new dev.gantry.testkit.Mount("/ro/sub", "tmpfs", "tmpfs", List.of("size=1m")))
                .readonlyPaths("/ro")
                .args("sh", "-c", "touch /ro/a 2>/dev/null && exit 10; touch /ro/sub/b 2>/dev/null && exit 11; exit 0"));
        String id = id("ro");
        ContainerRuntime.Created c = rt.create(id, b.dir(), CreateOptions.defaults());
        rt.start(id);
        assertThat(rt.waitForInit(c).shellCode()).isZero();
    }

    /** Masking binds /dev/null only when it is the null device: anything else would be exposed instead. */
    @Test
    void maskingRefusesADevNullThatIsNotTheNullDevice() {
        OciBundle b = bundle("notnull", OciSpec.runcDefault()
                .device(dev.gantry.testkit.Device.character("/dev/null", 1, 5, 0666)).args("true"));
        assertThatThrownBy(() -> rt.create(id("notnull"), b.dir(), CreateOptions.defaults()))
                .hasMessageContaining("not the null device");
        assertThat(rt.store().exists("notnull")).isFalse();
    }
}
