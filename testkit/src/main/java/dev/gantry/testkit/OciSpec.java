package dev.gantry.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mutable builder of config.json. It starts from exactly what {@code runc spec} writes
 * (runc 1.1, OCI 1.0.2-dev) except {@code process.terminal=false}, so tests can run without a
 * console socket. Note that default has {@code root.readonly=true}, a private network
 * namespace and {@code RLIMIT_NOFILE} 1024/1024.
 */
public final class OciSpec {
    static final String RUNC_DEFAULT = """
            {
              "ociVersion": "1.0.2-dev",
              "process": {
                "terminal": false,
                "user": {"uid": 0, "gid": 0},
                "args": ["sh"],
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                "cwd": "/",
                "capabilities": {
                  "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
                  "ambient": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
                },
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
                "noNewPrivileges": true
              },
              "root": {"path": "rootfs", "readonly": true},
              "hostname": "runc",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
                {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
                 "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
                {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
                 "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
                {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
                 "options": ["nosuid", "noexec", "nodev"]},
                {"destination": "/sys", "type": "sysfs", "source": "sysfs",
                 "options": ["nosuid", "noexec", "nodev", "ro"]},
                {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
                 "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
              ],
              "linux": {
                "resources": {"devices": [{"allow": false, "access": "rwm"}]},
                "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}],
                "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
                "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
              }
            }
            """;

    private final Map<String, Object> root;

    private OciSpec(Map<String, Object> root) {
        this.root = root;
    }

    /** The runc default with {@code terminal=false}. */
    public static OciSpec runcDefault() {
        return new OciSpec(Json.parseObject(RUNC_DEFAULT));
    }

    /** A spec from arbitrary JSON, e.g. what a runtime's {@code spec} verb wrote. */
    public static OciSpec fromJson(String json) {
        return new OciSpec(Json.parseObject(json));
    }

    public OciSpec args(String... args) {
        process().put("args", List.of(args));
        return this;
    }

    /** {@code sh -c script}: the usual way a test says what the container does. */
    public OciSpec shell(String script) {
        return args("sh", "-c", script);
    }

    public OciSpec env(String... env) {
        process().put("env", List.of(env));
        return this;
    }

    public OciSpec addEnv(String entry) {
        list(process(), "env").add(entry);
        return this;
    }

    public OciSpec cwd(String cwd) {
        process().put("cwd", cwd);
        return this;
    }

    public OciSpec terminal(boolean terminal) {
        process().put("terminal", terminal);
        return this;
    }

    public OciSpec user(long uid, long gid) {
        Map<String, Object> user = map(process(), "user");
        user.put("uid", uid);
        user.put("gid", gid);
        return this;
    }

    public OciSpec additionalGids(long... gids) {
        map(process(), "user").put("additionalGids", Arrays.stream(gids).boxed().toList());
        return this;
    }

    public OciSpec umask(int umask) {
        map(process(), "user").put("umask", umask);
        return this;
    }

    public OciSpec oomScoreAdj(int score) {
        process().put("oomScoreAdj", score);
        return this;
    }

    /** Replaces any rlimit of the same type. */
    public OciSpec rlimit(Rlimit rlimit) {
        List<Object> rlimits = list(process(), "rlimits");
        rlimits.removeIf(entry -> rlimit.type().equals(((Map<?, ?>) entry).get("type")));
        rlimits.add(Json.toTree(rlimit));
        return this;
    }

    public OciSpec hostname(String hostname) {
        root.put("hostname", hostname);
        return this;
    }

    public OciSpec domainname(String domainname) {
        root.put("domainname", domainname);
        return this;
    }

    public OciSpec readonlyRoot(boolean readonly) {
        map(root, "root").put("readonly", readonly);
        return this;
    }

    public OciSpec rootPath(String path) {
        map(root, "root").put("path", path);
        return this;
    }

    /** Adds a namespace to create (type as in config.json: pid, network, mount, ipc, uts, user, cgroup, time). */
    public OciSpec namespace(String type) {
        return namespace(new Namespace(type, null));
    }

    /** Adds (or replaces the entry of the same type with) a namespace, to create or to join by path. */
    public OciSpec namespace(Namespace namespace) {
        withoutNamespace(namespace.type());
        list(linux(), "namespaces").add(Json.toTree(namespace));
        return this;
    }

    public OciSpec withoutNamespace(String type) {
        list(linux(), "namespaces").removeIf(entry -> type.equals(((Map<?, ?>) entry).get("type")));
        return this;
    }

    public OciSpec mount(Mount mount) {
        list(root, "mounts").add(Json.toTree(mount));
        return this;
    }

    public OciSpec withoutMount(String destination) {
        list(root, "mounts").removeIf(entry -> destination.equals(((Map<?, ?>) entry).get("destination")));
        return this;
    }

    public OciSpec maskedPaths(String... paths) {
        linux().put("maskedPaths", new ArrayList<>(List.of(paths)));
        return this;
    }

    public OciSpec readonlyPaths(String... paths) {
        linux().put("readonlyPaths", new ArrayList<>(List.of(paths)));
        return this;
    }

    public OciSpec uidMapping(IdMapping mapping) {
        list(linux(), "uidMappings").add(Json.toTree(mapping));
        return this;
    }

    public OciSpec gidMapping(IdMapping mapping) {
        list(linux(), "gidMappings").add(Json.toTree(mapping));
        return this;
    }

    public OciSpec sysctl(String key, String value) {
        map(linux(), "sysctl").put(key, value);
        return this;
    }

    public OciSpec device(Device device) {
        list(linux(), "devices").add(Json.toTree(device));
        return this;
    }

    public OciSpec hook(HookKind kind, Hook hook) {
        list(map(root, "hooks"), kind.name()).add(Json.toTree(hook));
        return this;
    }

    /**
     * Sets any field by a dotted path ({@code "process.cwd"}, {@code "linux.rootfsPropagation"}),
     * for what the named methods do not cover; intermediate objects are created.
     */
    public OciSpec set(String dottedPath, Object value) {
        String[] keys = dottedPath.split("\\.");
        Map<String, Object> parent = root;
        for (int i = 0; i < keys.length - 1; i++) {
            parent = map(parent, keys[i]);
        }
        parent.put(keys[keys.length - 1], value == null ? null : Json.MAPPER.convertValue(value, Object.class));
        return this;
    }

    /** Removes a field by dotted path; absent fields are ignored. */
    public OciSpec remove(String dottedPath) {
        String[] keys = dottedPath.split("\\.");
        Map<String, Object> parent = root;
        for (int i = 0; i < keys.length - 1; i++) {
            parent = map(parent, keys[i]);
        }
        parent.remove(keys[keys.length - 1]);
        return this;
    }

    /** The tree as a runtime would read it back from config.json; a copy, safe to change. */
    public Map<String, Object> toMap() {
        return Json.parseObject(toJson());
    }

    public String toJson() {
        return Json.write(root);
    }

    private Map<String, Object> process() {
        return map(root, "process");
    }

    private Map<String, Object> linux() {
        return map(root, "linux");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof ArrayList<?>)) {
            // Lists parsed or set through List.of are not guaranteed mutable: own a copy.
            value = value == null ? new ArrayList<>() : new ArrayList<>((List<Object>) value);
            parent.put(key, value);
        }
        return (List<Object>) value;
    }
}
