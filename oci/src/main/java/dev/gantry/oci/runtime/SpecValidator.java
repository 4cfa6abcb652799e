package dev.gantry.oci.runtime;

import dev.gantry.base.GantryException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks what the runtime spec says a runtime MUST reject (config.md, config-linux.md) and
 * nothing more, so that configs written by runc, podman, dockerd and containerd all pass.
 * Each failure names the JSON field: {@code config.json: linux.namespaces[2].type: ...}.
 */
final class SpecValidator {
    private static final long UINT32_MAX = 0xFFFF_FFFFL;
    private static final Pattern SEMVER =
            Pattern.compile("^\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$");
    private static final Pattern HUGEPAGE_SIZE = Pattern.compile("^[1-9][0-9]*[KMG]B$");
    /** getrlimit(2) resources on Linux; anything else cannot be mapped to the kernel. */
    static final Set<String> RLIMITS = Set.of("RLIMIT_AS", "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA",
            "RLIMIT_FSIZE", "RLIMIT_LOCKS", "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE",
            "RLIMIT_NPROC", "RLIMIT_RSS", "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK");
    static final Set<String> NAMESPACES =
            Set.of("mount", "pid", "network", "uts", "ipc", "user", "cgroup", "time");
    /** The spec's four values plus the recursive spellings runc also accepts (and podman writes). */
    private static final Set<String> PROPAGATIONS = Set.of("private", "shared", "slave", "unbindable",
            "rprivate", "rshared", "rslave", "runbindable");
    private static final Set<String> SECCOMP_ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",
            "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");
    private static final Set<String> SECCOMP_OPS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
            "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    private static final Set<String> SECCOMP_FLAGS = Set.of("SECCOMP_FILTER_FLAG_TSYNC",
            "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
    private static final Set<String> SECCOMP_ARCHES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
            "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
            "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
            "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
            "SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64");
    private static final Set<String> IO_CLASSES = Set.of("IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE");
    private static final Set<String> SCHED_POLICIES = Set.of("SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
            "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE");
    private static final Set<String> DEVICE_TYPES = Set.of("c", "b", "u", "p");
    private static final Set<String> TIME_CLOCKS = Set.of("boottime", "monotonic");
    private static final Set<String> PERSONALITY_DOMAINS = Set.of("LINUX", "LINUX32");

    private final String source;

    SpecValidator(String source) {
        this.source = source;
    }

    void validate(Spec spec) {
        if (spec.ociVersion() == null || spec.ociVersion().isBlank()) {
            fail("ociVersion", "is required");
        }
        if (!SEMVER.matcher(spec.ociVersion()).matches()) {
            fail("ociVersion", "must be a SemVer 2.0.0 version, got \"" + spec.ociVersion() + "\"");
        }
        if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
            fail("root.path", "is required");
        }
        if (spec.process() != null) {
            process(spec.process());
        }
        List<Mount> mounts = spec.mountsOrEmpty();
        for (int i = 0; i < mounts.size(); i++) {
            mount("mounts[" + i + "]", mounts.get(i));
        }
        hooks(spec.hooksOrEmpty());
        if (spec.linux() != null) {
            linux(spec.linux());
        }
    }

    private void process(Process process) {
        if (process.args() == null || process.args().isEmpty()) {
            fail("process.args", "must not be empty");
        }
        if (process.cwd() == null || process.cwd().isEmpty()) {
            fail("process.cwd", "is required");
        }
        absolute("process.cwd", process.cwd());
        if (process.user() != null) {
            User user = process.user();
            uint32("process.user.uid", user.uid());
            uint32("process.user.gid", user.gid());
            if (user.umask() != null) {
                uint32("process.user.umask", user.umask());
            }
            List<Long> gids = user.additionalGidsOrEmpty();
            for (int i = 0; i < gids.size(); i++) {
                if (gids.get(i) == null) {
                    fail("process.user.additionalGids[" + i + "]", "must be a gid, got null");
                }
                uint32("process.user.additionalGids[" + i + "]", gids.get(i));
            }
        }
        Set<String> seen = new HashSet<>();
        List<PosixRlimit> rlimits = process.rlimitsOrEmpty();
        for (int i = 0; i < rlimits.size(); i++) {
            String field = "process.rlimits[" + i + "]";
            PosixRlimit rlimit = rlimits.get(i);
            if (rlimit.type() == null || !RLIMITS.contains(rlimit.type())) {
                fail(field + ".type", "unknown rlimit type \"" + rlimit.type() + "\" (expected RLIMIT_*, see getrlimit(2))");
            }
            if (!seen.add(rlimit.type())) {
                fail(field + ".type", "duplicate rlimit type \"" + rlimit.type() + "\"");
            }
            if (rlimit.hard() == null) {
                fail(field + ".hard", "is required");
            }
            if (rlimit.soft() == null) {
                fail(field + ".soft", "is required");
            }
        }
        if (process.ioPriority() != null && !IO_CLASSES.contains(process.ioPriority().ioClass())) {
            fail("process.ioPriority.class", "unknown I/O priority class \"" + process.ioPriority().ioClass() + "\"");
        }
        if (process.scheduler() != null && !SCHED_POLICIES.contains(process.scheduler().policy())) {
            fail("process.scheduler.policy", "unknown scheduler policy \"" + process.scheduler().policy() + "\"");
        }
    }

    private void mount(String field, Mount mount) {
        // Relative destinations are deprecated but allowed on Linux (read as relative to "/").
        if (mount.destination() == null || mount.destination().isEmpty()) {
            fail(field + ".destination", "is required");
        }
        if ((mount.uidMappings() == null) != (mount.gidMappings() == null)) {
            fail(field + (mount.uidMappings() == null ? ".uidMappings" : ".gidMappings"),
                    "uidMappings and gidMappings must be given together");
        }
        idMappings(field + ".uidMappings", mount.uidMappings());
        idMappings(field + ".gidMappings", mount.gidMappings());
    }

    private void hooks(Hooks hooks) {
        hookList("hooks.prestart", hooks.prestartOrEmpty());
        hookList("hooks.createRuntime", hooks.createRuntimeOrEmpty());
        hookList("hooks.createContainer", hooks.createContainerOrEmpty());
        hookList("hooks.startContainer", hooks.startContainerOrEmpty());
        hookList("hooks.poststart", hooks.poststartOrEmpty());
        hookList("hooks.poststop", hooks.poststopOrEmpty());
    }

    private void hookList(String field, List<Hook> hooks) {
        for (int i = 0; i < hooks.size(); i++) {
            Hook hook = hooks.get(i);
            String at = field + "[" + i + "]";
            if (hook.path() == null || hook.path().isEmpty()) {
                fail(at + ".path", "is required");
            }
            absolute(at + ".path", hook.path());
            if (hook.timeout() != null && hook.timeout() <= 0) {
                fail(at + ".timeout", "must be greater than zero, got " + hook.timeout());
            }
        }
    }

    private void linux(Linux linux) {
        idMappings("linux.uidMappings", linux.uidMappings());
        idMappings("linux.gidMappings", linux.gidMappings());
        Set<String> seen = new HashSet<>();
        List<LinuxNamespace> namespaces = linux.namespacesOrEmpty();
        for (int i = 0; i < namespaces.size(); i++) {
            String field = "linux.namespaces[" + i + "]";
            LinuxNamespace ns = namespaces.get(i);
            if (ns.type() == null || !NAMESPACES.contains(ns.type())) {
                fail(field + ".type", "unknown namespace type \"" + ns.type() + "\"");
            }
            if (!seen.add(ns.type())) {
                fail(field + ".type", "duplicate namespace type \"" + ns.type() + "\"");
            }
            if (ns.path() != null && !ns.path().isEmpty()) {
                absolute(field + ".path", ns.path());
            }
        }
        List<LinuxDevice> devices = linux.devicesOrEmpty();
        for (int i = 0; i < devices.size(); i++) {
            device("linux.devices[" + i + "]", devices.get(i));
        }
        if (linux.rootfsPropagation() != null && !linux.rootfsPropagation().isEmpty()
                && !PROPAGATIONS.contains(linux.rootfsPropagation())) {
            fail("linux.rootfsPropagation", "unknown propagation \"" + linux.rootfsPropagation()
                    + "\" (expected private, shared, slave or unbindable)");
        }
        if (linux.resources() != null) {
            resources(linux.resources());
        }
        if (linux.seccomp() != null) {
            seccomp(linux.seccomp());
        }
        for (Map.Entry<String, LinuxTimeOffset> offset : linux.timeOffsetsOrEmpty().entrySet()) {
            if (!TIME_CLOCKS.contains(offset.getKey())) {
                fail("linux.timeOffsets." + offset.getKey(), "unknown clock (expected boottime or monotonic)");
            }
        }
        if (linux.personality() != null && !PERSONALITY_DOMAINS.contains(linux.personality().domain())) {
            fail("linux.personality.domain", "unknown execution domain \"" + linux.personality().domain() + "\"");
        }
    }

    private void device(String field, LinuxDevice device) {
        if (device.path() == null || device.path().isEmpty()) {
            fail(field + ".path", "is required");
        }
        if (device.type() == null || !DEVICE_TYPES.contains(device.type())) {
            fail(field + ".type", "unknown device type \"" + device.type() + "\" (expected c, b, u or p)");
        }
        if (!device.type().equals("p") && (device.major() == null || device.minor() == null)) {
            fail(field + (device.major() == null ? ".major" : ".minor"), "is required for device type " + device.type());
        }
        if (device.uid() != null) {
            uint32(field + ".uid", device.uid());
        }
        if (device.gid() != null) {
            uint32(field + ".gid", device.gid());
        }
    }

    private void resources(LinuxResources resources) {
        List<LinuxHugepageLimit> hugepages = resources.hugepageLimitsOrEmpty();
        for (int i = 0; i < hugepages.size(); i++) {
            String pageSize = hugepages.get(i).pageSize();
            if (pageSize == null || !HUGEPAGE_SIZE.matcher(pageSize).matches()) {
                fail("linux.resources.hugepageLimits[" + i + "].pageSize",
                        "must look like 2MB or 1GB, got \"" + pageSize + "\"");
            }
        }
    }

    private void seccomp(LinuxSeccomp seccomp) {
        action("linux.seccomp.defaultAction", seccomp.defaultAction(), seccomp.defaultErrnoRet(), "defaultErrnoRet");
        List<String> arches = seccomp.architecturesOrEmpty();
        for (int i = 0; i < arches.size(); i++) {
            if (!SECCOMP_ARCHES.contains(arches.get(i))) {
                fail("linux.seccomp.architectures[" + i + "]", "unknown architecture \"" + arches.get(i) + "\"");
            }
        }
        List<String> flags = seccomp.flagsOrEmpty();
        for (int i = 0; i < flags.size(); i++) {
            if (!SECCOMP_FLAGS.contains(flags.get(i))) {
                fail("linux.seccomp.flags[" + i + "]", "unknown seccomp flag \"" + flags.get(i) + "\"");
            }
        }
        if (seccomp.listenerMetadata() != null && !seccomp.listenerMetadata().isEmpty()
                && (seccomp.listenerPath() == null || seccomp.listenerPath().isEmpty())) {
            fail("linux.seccomp.listenerMetadata", "must not be set without listenerPath");
        }
        List<LinuxSyscall> syscalls = seccomp.syscallsOrEmpty();
        for (int i = 0; i < syscalls.size(); i++) {
            String field = "linux.seccomp.syscalls[" + i + "]";
            LinuxSyscall syscall = syscalls.get(i);
            if (syscall.namesOrEmpty().isEmpty()) {
                fail(field + ".names", "must not be empty");
            }
            action(field + ".action", syscall.action(), syscall.errnoRet(), "errnoRet");
            List<LinuxSeccompArg> args = syscall.argsOrEmpty();
            for (int j = 0; j < args.size(); j++) {
                LinuxSeccompArg arg = args.get(j);
                String at = field + ".args[" + j + "]";
                if (arg.index() < 0 || arg.index() > 5) {
                    fail(at + ".index", "must be 0..5 (a syscall has six arguments), got " + arg.index());
                }
                if (!SECCOMP_OPS.contains(arg.op())) {
                    fail(at + ".op", "unknown operator \"" + arg.op() + "\"");
                }
            }
        }
    }

    private void action(String field, String action, Long errnoRet, String errnoField) {
        if (action == null || action.isEmpty()) {
            fail(field, "is required");
        }
        if (!SECCOMP_ACTIONS.contains(action)) {
            fail(field, "unknown seccomp action \"" + action + "\"");
        }
        if (errnoRet != null) {
            // config-linux.md: "When the action doesn't support an errno, the runtime MUST print
            // an error and fail."
            if (!action.equals("SCMP_ACT_ERRNO") && !action.equals("SCMP_ACT_TRACE")) {
                fail(field.substring(0, field.lastIndexOf('.') + 1) + errnoField,
                        "is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not " + action);
            }
            uint32(field.substring(0, field.lastIndexOf('.') + 1) + errnoField, errnoRet);
        }
    }

    private void idMappings(String field, List<LinuxIdMapping> mappings) {
        if (mappings == null) {
            return;
        }
        for (int i = 0; i < mappings.size(); i++) {
            LinuxIdMapping mapping = mappings.get(i);
            String at = field + "[" + i + "]";
            uint32(at + ".containerID", mapping.containerID());
            uint32(at + ".hostID", mapping.hostID());
            uint32(at + ".size", mapping.size());
            if (mapping.size() == 0) {
                fail(at + ".size", "must be at least 1");
            }
        }
    }

    private void uint32(String field, long value) {
        if (value < 0 || value > UINT32_MAX) {
            fail(field, "must be an unsigned 32-bit integer, got " + value);
        }
    }

    private void absolute(String field, String path) {
        if (!path.startsWith("/")) {
            fail(field, "must be an absolute path, got \"" + path + "\"");
        }
    }

    private void fail(String field, String problem) {
        throw GantryException.invalid(source + ": " + field + ": " + problem);
    }
}
