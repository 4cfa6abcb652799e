package dev.gantry.runtime.plan;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.Linux;
import dev.gantry.oci.runtime.LinuxIdMapping;
import dev.gantry.oci.runtime.LinuxNamespace;
import dev.gantry.oci.runtime.LinuxTimeOffset;
import dev.gantry.oci.runtime.Mount;
import dev.gantry.oci.runtime.OciSpecs;
import dev.gantry.oci.runtime.PosixRlimit;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InitPlannerTest {
    private static final HostFacts HYBRID = new HostFacts(List.of(
            new HostFacts.CgroupHierarchy(Path.of("/sys/fs/cgroup/cpu"), false, "cpu"),
            new HostFacts.CgroupHierarchy(Path.of("/sys/fs/cgroup/memory"), false, "memory"),
            new HostFacts.CgroupHierarchy(Path.of("/sys/fs/cgroup/unified"), true, "")),
            Map.of("cpu", "/user", "memory", "/user", "", "/"), Map.of(7, 20000L), false);

    @TempDir
    Path bundle;

    private final List<String> warnings = new ArrayList<>();

    private Plan plan(Spec spec) {
        return plan(spec, Optional.empty());
    }

    private Plan plan(Spec spec, Optional<SeccompFilter> seccomp) {
        return new InitPlanner(HYBRID, warnings::add).plan(new InitPlanner.Request(spec, bundle,
                bundle.resolve("rootfs"), false, seccomp, null, Map.of()));
    }

    private static Spec withLinux(Spec s, java.util.function.UnaryOperator<Linux> f) {
        return s.withLinux(f.apply(s.linux()));
    }

    private static Linux namespaces(Linux l, List<LinuxNamespace> ns) {
        return new Linux(l.uidMappings(), l.gidMappings(), l.sysctl(), l.resources(), l.cgroupsPath(), ns, l.devices(),
                l.seccomp(), l.rootfsPropagation(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel(), l.intelRdt(),
                l.personality(), l.timeOffsets(), l.netDevices(), l.memoryPolicy());
    }

    private static List<Op> ops(Plan p) {
        return p.steps().stream().map(Step::op).toList();
    }

    @Test
    void defaultSpecReadsInContainerInitOrder() {
        Plan p = plan(OciSpecs.defaultSpec().withProcess(OciSpecs.defaultSpec().process().withTerminal(false)));
        List<Op> ops = ops(p);
        assertThat(ops.getFirst()).isEqualTo(Op.CLONE);
        assertThat(ops.getLast()).isEqualTo(Op.EXEC);
        // The fifo comes as a descriptor; pivot_root comes after all mounts.
        assertThat(p.first(Op.EXEC_FIFO_FD).orElseThrow().args().getFirst()).isEqualTo(new Step.U64(InitPlanner.EXEC_FIFO_FD));
        assertThat(ops.lastIndexOf(Op.MKNOD)).isLessThan(ops.indexOf(Op.PIVOT_ROOT));
        // Masking and read-only paths act on the container's /proc, after the pivot.
        assertThat(ops.indexOf(Op.MASK)).isGreaterThan(ops.indexOf(Op.PIVOT_ROOT));
        assertThat(ops.indexOf(Op.READY)).isLessThan(ops.indexOf(Op.WAIT_START));
        assertThat(ops.indexOf(Op.LOOKUP)).isLessThan(ops.indexOf(Op.READY));
        assertThat(ops.indexOf(Op.USER)).isLessThan(ops.indexOf(Op.CAPS));
        long flags = ((Step.U64) p.first(Op.CLONE).orElseThrow().args().get(0)).value();
        assertThat(flags).isEqualTo(Namespaces.CLONE_NEWPID | Namespaces.CLONE_NEWNET | Namespaces.CLONE_NEWIPC
                | Namespaces.CLONE_NEWUTS | Namespaces.CLONE_NEWNS);
        assertThat(p.steps(Op.MASK)).extracting(s -> s.args().getFirst().toString()).contains("\"/proc/kcore\"");
        assertThat(p.steps(Op.SETHOSTNAME)).hasSize(1);
        assertThat(p.steps(Op.SETRESID)).isEmpty();
        assertThat(p.steps(Op.CONSOLE)).isEmpty();
    }

    @Test
    void terminalAddsConsoleAfterPivot() {
        Plan p = plan(OciSpecs.defaultSpec());
        List<Op> ops = ops(p);
        assertThat(ops.indexOf(Op.CONSOLE)).isGreaterThan(ops.indexOf(Op.PIVOT_ROOT)).isLessThan(ops.indexOf(Op.SETSID));
    }

    @Test
    void userNamespaceBindsDevicesAndBecomesRoot() {
        Spec s = withLinux(OciSpecs.defaultSpec(), l -> {
            List<LinuxNamespace> ns = new ArrayList<>(l.namespacesOrEmpty());
            ns.add(new LinuxNamespace("user", null));
            Linux n = namespaces(l, ns);
            return new Linux(List.of(new LinuxIdMapping(0, 100000, 65536)), List.of(new LinuxIdMapping(0, 100000, 65536)),
                    n.sysctl(), n.resources(), n.cgroupsPath(), n.namespaces(), n.devices(), n.seccomp(),
                    n.rootfsPropagation(), n.maskedPaths(), n.readonlyPaths(), n.mountLabel(), n.intelRdt(),
                    n.personality(), n.timeOffsets(), n.netDevices(), n.memoryPolicy());
        });
        Plan p = plan(s);
        assertThat(p.steps(Op.MKNOD)).isEmpty();
        assertThat(p.steps(Op.MOUNT)).anyMatch(m -> m.args().get(1).toString().equals("\"/dev/null\""));
        assertThat(ops(p).indexOf(Op.SETRESID)).isEqualTo(ops(p).indexOf(Op.WAIT_GO) + 1);
        long flags = ((Step.U64) p.first(Op.CLONE).orElseThrow().args().get(0)).value();
        assertThat(flags & Namespaces.CLONE_NEWUSER).isNotZero();
    }

    @Test
    void existingNamespacesAreJoinedUserFirstBeforeClone() {
        Spec s = withLinux(OciSpecs.defaultSpec(), l -> namespaces(l, List.of(
                new LinuxNamespace("mount", null), new LinuxNamespace("uts", null), new LinuxNamespace("network", "/run/netns/a"),
                new LinuxNamespace("user", "/proc/1/ns/user"))));
        Plan p = plan(s);
        List<Step> joins = p.steps(Op.SETNS);
        assertThat(joins).extracting(j -> j.args().getFirst().toString())
                .containsExactly("\"/proc/1/ns/user\"", "\"/run/netns/a\"");
        assertThat(p.indexOf(Op.SETNS)).isLessThan(p.indexOf(Op.CLONE));
    }

    @Test
    void aNewNetworkNamespaceGetsLoopbackUpAndAJoinedOneIsLeftAlone() {
        Spec spec = OciSpecs.defaultSpec().withProcess(OciSpecs.defaultSpec().process().withTerminal(false));
        List<Op> fresh = ops(plan(spec));
        assertThat(fresh).contains(Op.LOOPBACK_UP);
        assertThat(fresh.indexOf(Op.LOOPBACK_UP)).isGreaterThan(fresh.indexOf(Op.WAIT_GO)).isLessThan(fresh.indexOf(Op.CAPS));
        Spec joined = withLinux(spec, l -> namespaces(l, l.namespacesOrEmpty().stream()
                .map(ns -> ns.type().equals("network") ? new LinuxNamespace("network", "/run/netns/x") : ns).toList()));
        assertThat(ops(plan(joined))).doesNotContain(Op.LOOPBACK_UP);
        Spec none = withLinux(spec, l -> namespaces(l, l.namespacesOrEmpty().stream()
                .filter(ns -> !ns.type().equals("network")).toList()));
        assertThat(ops(plan(none))).as("the host's network").doesNotContain(Op.LOOPBACK_UP);
    }

    @Test
    void hostnameWithoutUtsNamespaceIsRefused() {
        Spec s = withLinux(OciSpecs.defaultSpec(), l -> namespaces(l, List.of(new LinuxNamespace("mount", null))));
        assertThatThrownBy(() -> plan(s)).isInstanceOf(GantryException.class).hasMessageContaining("hostname");
    }

    @Test
    void mountNamespaceIsRequired() {
        Spec s = withLinux(OciSpecs.defaultSpec(), l -> namespaces(l, List.of(new LinuxNamespace("pid", null))));
        assertThatThrownBy(() -> plan(s.withProcess(s.process()))).hasMessageContaining("mount namespace");
    }

    @Test
    void rlimitAboveHostHardLimitNamesTheLimit() {
        Process p = OciSpecs.defaultSpec().process();
        Process more = new Process(false, null, p.user(), p.args(), null, p.env(), p.cwd(), p.capabilities(),
                List.of(new PosixRlimit("RLIMIT_NOFILE", 1048576L, 1024L)), true, null, null, null, null, null, null);
        assertThatThrownBy(() -> plan(OciSpecs.defaultSpec().withProcess(more)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessageContaining("RLIMIT_NOFILE").hasMessageContaining("20000").hasMessageContaining("CAP_SYS_RESOURCE");
    }

    @Test
    void bindMountWithFlagsIsRemountedAndSourceMustExist() throws Exception {
        Files.createDirectories(bundle.resolve("data"));
        Spec base = OciSpecs.defaultSpec();
        List<Mount> mounts = new ArrayList<>(base.mountsOrEmpty());
        mounts.add(new Mount("/data", "bind", "data", List.of("rbind", "ro", "nosuid", "rprivate")));
        Spec s = new Spec(base.ociVersion(), base.process(), base.root(), base.hostname(), null, mounts, null, null, base.linux());
        List<Step> dataMounts = plan(s).steps(Op.MOUNT).stream()
                .filter(m -> m.args().get(1).toString().equals("\"/data\"")).toList();
        assertThat(dataMounts).hasSize(3);
        assertThat(dataMounts.get(0).args().get(0).toString()).isEqualTo("\"" + bundle.resolve("data") + "\"");
        long remount = ((Step.U64) dataMounts.get(1).args().get(3)).value();
        assertThat(remount & MountFlags.MS_REMOUNT).isNotZero();
        assertThat(remount & MountFlags.MS_RDONLY).isNotZero();
        long propagation = ((Step.U64) dataMounts.get(2).args().get(3)).value();
        assertThat(propagation).isEqualTo(MountFlags.MS_PRIVATE | MountFlags.MS_REC);

        mounts.add(new Mount("/missing", "bind", "nope", List.of("bind")));
        Spec bad = new Spec(base.ociVersion(), base.process(), base.root(), base.hostname(), null, mounts, null, null, base.linux());
        assertThatThrownBy(() -> plan(bad)).hasMessageContaining("mounts[" + (mounts.size() - 1) + "].source");
    }

    @Test
    void cgroupMountOnHybridHostBindsOwnCgroupsWithoutCgroupNamespace() {
        Spec base = OciSpecs.defaultSpec();
        List<Mount> mounts = new ArrayList<>(base.mountsOrEmpty());
        mounts.add(new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")));
        Spec s = new Spec(base.ociVersion(), base.process(), base.root(), base.hostname(), null, mounts, null, null, base.linux());
        List<String> sources = plan(s).steps(Op.MOUNT).stream().map(m -> m.args().get(0).toString()).toList();
        assertThat(sources).contains("\"/sys/fs/cgroup/cpu/user\"", "\"/sys/fs/cgroup/memory/user\"", "\"/sys/fs/cgroup/unified\"");
    }

    @Test
    void timeNamespaceOffsetsAreWrittenBeforeClone() {
        Spec s = withLinux(OciSpecs.defaultSpec(), l -> {
            List<LinuxNamespace> ns = new ArrayList<>(l.namespacesOrEmpty());
            ns.add(new LinuxNamespace("time", null));
            Linux n = namespaces(l, ns);
            return new Linux(n.uidMappings(), n.gidMappings(), n.sysctl(), n.resources(), n.cgroupsPath(), n.namespaces(),
                    n.devices(), n.seccomp(), n.rootfsPropagation(), n.maskedPaths(), n.readonlyPaths(), n.mountLabel(),
                    n.intelRdt(), n.personality(), Map.of("monotonic", new LinuxTimeOffset(86400L, 0L)), n.netDevices(),
                    n.memoryPolicy());
        });
        Plan p = plan(s);
        assertThat(ops(p).subList(0, 3)).containsExactly(Op.UNSHARE, Op.WRITE_FILE, Op.CLONE);
        assertThat(new String(((Step.Bytes) p.steps(Op.WRITE_FILE).getFirst().args().get(1)).value()))
                .isEqualTo("monotonic 86400 0\n");
    }

    @Test
    void seccompLoadsBeforeCredentialsUnlessNoNewPrivs() {
        SeccompFilter f = new SeccompFilter(new byte[8], 0);
        Spec nnp = OciSpecs.defaultSpec();
        List<Op> withNnp = ops(plan(nnp, Optional.of(f)));
        assertThat(withNnp.indexOf(Op.SECCOMP)).isGreaterThan(withNnp.indexOf(Op.NO_NEW_PRIVS))
                .isGreaterThan(withNnp.indexOf(Op.WAIT_START));
        Process p = nnp.process();
        Process privileged = new Process(true, null, p.user(), p.args(), null, p.env(), p.cwd(), p.capabilities(),
                p.rlimits(), false, null, null, null, null, null, null);
        List<Op> without = ops(plan(nnp.withProcess(privileged), Optional.of(f)));
        assertThat(without.indexOf(Op.SECCOMP)).isLessThan(without.indexOf(Op.USER));
        assertThat(without).doesNotContain(Op.NO_NEW_PRIVS);
    }

    @Test
    void encodingIsLittleEndianFramesOfArguments() {
        byte[] bytes = new Plan(List.of(Step.of(Op.SETHOSTNAME, "ab"), Step.of(Op.UMASK, 18L))).encode();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt()).isEqualTo(Op.SETHOSTNAME.code());
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getInt()).isEqualTo(3);
        assertThat(new byte[] {b.get(), b.get(), b.get()}).containsExactly('a', 'b', 0);
        assertThat(b.getInt()).isEqualTo(Op.UMASK.code());
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getInt()).isEqualTo(8);
        assertThat(b.getLong()).isEqualTo(18L);
        assertThat(b.remaining()).isZero();
    }

    @Test
    void unknownCapabilityIsWarnedAndSkipped() {
        Process p = OciSpecs.defaultSpec().process();
        var caps = new dev.gantry.oci.runtime.LinuxCapabilities(List.of("CAP_KILL", "CAP_FUTURE"), List.of("CAP_KILL"),
                null, List.of("CAP_KILL"), null);
        Process q = new Process(false, null, p.user(), p.args(), null, p.env(), p.cwd(), caps, null, true, null, null,
                null, null, null, null);
        Step s = plan(OciSpecs.defaultSpec().withProcess(q)).first(Op.CAPS).orElseThrow();
        assertThat(((Step.U64) s.args().getFirst()).value()).isEqualTo(1L << 5);
        assertThat(warnings).anyMatch(w -> w.contains("CAP_FUTURE"));
    }
}
