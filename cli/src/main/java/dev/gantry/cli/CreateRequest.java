package dev.gantry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The body of {@code POST /containers/create} (the Engine API's ContainerCreate: Config,
 * HostConfig and NetworkingConfig in one object) built from {@code run}/{@code create} flags,
 * field by field as the docker CLI maps them, plus the query's container name.
 *
 * @param name the {@code --name}, or null
 * @param body the JSON body
 */
public record CreateRequest(String name, String image, Map<String, Object> body) {

    /** The flags {@code run} and {@code create} share. */
    public static final List<Flag> FLAGS = List.of(
            Flag.list("add-host", "Add a custom host-to-IP mapping (host:ip)"),
            Flag.list("attach", 'a', "Attach to STDIN, STDOUT or STDERR"),
            Flag.list("cap-add", "Add Linux capabilities"),
            Flag.list("cap-drop", "Drop Linux capabilities"),
            Flag.value("cgroupns", "Cgroup namespace to use (host|private)"),
            Flag.value("cidfile", "Write the container ID to the file"),
            Flag.value("cpu-shares", 'c', "CPU shares (relative weight)"),
            Flag.value("cpus", "Number of CPUs"),
            Flag.value("cpuset-cpus", "CPUs in which to allow execution (0-3, 0,1)"),
            Flag.list("device", "Add a host device to the container"),
            Flag.list("dns", "Set custom DNS servers"),
            Flag.list("dns-option", "Set DNS options"),
            Flag.list("dns-search", "Set custom DNS search domains"),
            Flag.value("domainname", "Container NIS domain name"),
            Flag.value("entrypoint", "Overwrite the default ENTRYPOINT of the image"),
            Flag.list("env", 'e', "Set environment variables"),
            Flag.list("env-file", "Read in a file of environment variables"),
            Flag.list("expose", "Expose a port or a range of ports"),
            Flag.list("group-add", "Add additional groups to join"),
            Flag.value("health-cmd", "Command to run to check health"),
            Flag.value("health-interval", "Time between running the check (ms|s|m|h)"),
            Flag.value("health-retries", "Consecutive failures needed to report unhealthy"),
            Flag.value("health-start-interval", "Time between running the check during the start period (ms|s|m|h)"),
            Flag.value("health-start-period", "Start period for the container to initialize before counting retries (ms|s|m|h)"),
            Flag.value("health-timeout", "Maximum time to allow one check to run (ms|s|m|h)"),
            Flag.value("hostname", 'h', "Container host name"),
            Flag.bool("init", "Run an init inside the container that forwards signals and reaps processes"),
            Flag.bool("interactive", 'i', "Keep STDIN open even if not attached"),
            Flag.value("ip", "IPv4 address (e.g., 172.30.100.104)"),
            Flag.value("ipc", "IPC mode to use"),
            Flag.list("label", 'l', "Set meta data on a container"),
            Flag.list("label-file", "Read in a line delimited file of labels"),
            Flag.value("log-driver", "Logging driver for the container"),
            Flag.list("log-opt", "Log driver options"),
            Flag.value("memory", 'm', "Memory limit"),
            Flag.value("memory-reservation", "Memory soft limit"),
            Flag.value("memory-swap", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
            Flag.list("mount", "Attach a filesystem mount to the container"),
            Flag.value("name", "Assign a name to the container"),
            Flag.value("network", "Connect a container to a network"),
            Flag.value("net", "Connect a container to a network (alias of --network)"),
            Flag.list("network-alias", "Add network-scoped alias for the container"),
            Flag.bool("no-healthcheck", "Disable any container-specified HEALTHCHECK"),
            Flag.bool("oom-kill-disable", "Disable OOM Killer"),
            Flag.value("pid", "PID namespace to use"),
            Flag.value("pids-limit", "Tune container pids limit (set -1 for unlimited)"),
            Flag.value("platform", "Set platform if server is multi-platform capable"),
            Flag.bool("privileged", "Give extended privileges to this container"),
            Flag.list("publish", 'p', "Publish a container's port(s) to the host"),
            Flag.bool("publish-all", 'P', "Publish all exposed ports to random ports"),
            Flag.value("pull", "Pull image before running (\"always\", \"missing\", \"never\")"),
            Flag.bool("quiet", 'q', "Suppress the pull output"),
            Flag.bool("read-only", "Mount the container's root filesystem as read only"),
            Flag.value("restart", "Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:N])"),
            Flag.bool("rm", "Automatically remove the container and its anonymous volumes when it exits"),
            Flag.value("runtime", "Runtime to use for this container"),
            Flag.list("security-opt", "Security Options"),
            Flag.value("shm-size", "Size of /dev/shm"),
            Flag.value("stop-signal", "Signal to stop the container"),
            Flag.value("stop-timeout", "Timeout (in seconds) to stop a container"),
            Flag.list("sysctl", "Sysctl options"),
            Flag.list("tmpfs", "Mount a tmpfs directory"),
            Flag.bool("tty", 't', "Allocate a pseudo-TTY"),
            Flag.list("ulimit", "Ulimit options"),
            Flag.value("user", 'u', "Username or UID (format: <name|uid>[:<group|gid>])"),
            Flag.value("userns", "User namespace to use"),
            Flag.value("uts", "UTS namespace to use"),
            Flag.list("volume", 'v', "Bind mount a volume"),
            Flag.list("volumes-from", "Mount volumes from the specified container(s)"),
            Flag.value("workdir", 'w', "Working directory inside the container"));

    /**
     * Maps parsed {@code run}/{@code create} arguments to the create request.
     *
     * @param a the parsed flags; positional[0] is the image, the rest the command
     * @param detached whether the client will not attach (run -d, or create)
     * @param env the client's environment, for {@code -e NAME} without a value
     */
    public static CreateRequest from(Args a, boolean detached, Function<String, String> env) {
        if (a.positional().isEmpty()) {
            throw new UsageException("requires at least 1 argument: an IMAGE");
        }
        String image = a.positional().getFirst();
        List<String> cmd = a.positional().subList(1, a.positional().size());
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> host = new LinkedHashMap<>();

        putIfSet(config, "Hostname", a.value("hostname"));
        putIfSet(config, "Domainname", a.value("domainname"));
        putIfSet(config, "User", a.value("user"));
        boolean interactive = a.bool("interactive");
        List<String> attach = a.list("attach");
        boolean attachStdin = !detached && (attach.isEmpty() ? interactive : attach.stream().anyMatch(s -> s.equalsIgnoreCase("stdin")));
        config.put("AttachStdin", attachStdin);
        config.put("AttachStdout", !detached && (attach.isEmpty() || attach.stream().anyMatch(s -> s.equalsIgnoreCase("stdout"))));
        config.put("AttachStderr", !detached && (attach.isEmpty() || attach.stream().anyMatch(s -> s.equalsIgnoreCase("stderr"))));
        config.put("Tty", a.bool("tty"));
        config.put("OpenStdin", interactive);
        // docker: the container's stdin closes when the one attached client detaches from it.
        config.put("StdinOnce", attachStdin);
        List<String> envList = environment(a, env);
        if (!envList.isEmpty()) {
            config.put("Env", envList);
        }
        if (!cmd.isEmpty()) {
            config.put("Cmd", List.copyOf(cmd));
        }
        config.put("Image", image);
        Map<String, Object> volumes = new LinkedHashMap<>();
        List<String> binds = new ArrayList<>();
        for (String v : a.list("volume")) {
            volume(v, volumes, binds);
        }
        if (!volumes.isEmpty()) {
            config.put("Volumes", volumes);
        }
        putIfSet(config, "WorkingDir", a.value("workdir"));
        if (a.has("entrypoint")) {
            String ep = a.value("entrypoint");
            config.put("Entrypoint", ep.isEmpty() ? List.of("") : List.of(ep));
        }
        Map<String, Object> labels = labels(a);
        if (!labels.isEmpty()) {
            config.put("Labels", labels);
        }
        Ports.Published ports = Ports.parse(a.list("publish"), a.list("expose"));
        if (!ports.exposed().isEmpty()) {
            config.put("ExposedPorts", ports.exposed());
        }
        putIfSet(config, "StopSignal", a.value("stop-signal"));
        if (a.has("stop-timeout")) {
            config.put("StopTimeout", a.integer("stop-timeout"));
        }
        Map<String, Object> health = healthcheck(a);
        if (health != null) {
            config.put("Healthcheck", health);
        }

        if (!binds.isEmpty()) {
            host.put("Binds", binds);
        }
        if (a.has("cidfile")) {
            host.put("ContainerIDFile", a.value("cidfile"));
        }
        if (a.has("log-driver") || a.has("log-opt")) {
            host.put("LogConfig", Map.of("Type", a.value("log-driver", ""), "Config", keyValues("log-opt", a)));
        }
        String network = a.value("network", a.value("net", "default"));
        host.put("NetworkMode", network);
        if (!ports.bindings().isEmpty()) {
            host.put("PortBindings", ports.bindings());
        }
        host.put("RestartPolicy", restartPolicy(a.value("restart", "no")));
        boolean rm = a.bool("rm");
        if (rm && !"no".equals(((Map<?, ?>) host.get("RestartPolicy")).get("Name"))) {
            throw new UsageException("conflicting options: cannot specify both --restart and --rm");
        }
        host.put("AutoRemove", rm);
        if (!a.list("volumes-from").isEmpty()) {
            host.put("VolumesFrom", a.list("volumes-from"));
        }
        nonEmpty(host, "CapAdd", a.list("cap-add"));
        nonEmpty(host, "CapDrop", a.list("cap-drop"));
        putIfSet(host, "CgroupnsMode", a.value("cgroupns"));
        nonEmpty(host, "Dns", a.list("dns"));
        nonEmpty(host, "DnsOptions", a.list("dns-option"));
        nonEmpty(host, "DnsSearch", a.list("dns-search"));
        nonEmpty(host, "ExtraHosts", each(a, "add-host", CreateRequest::extraHost));
        nonEmpty(host, "GroupAdd", a.list("group-add"));
        putIfSet(host, "IpcMode", a.value("ipc"));
        putIfSet(host, "PidMode", a.value("pid"));
        host.put("Privileged", a.bool("privileged"));
        host.put("PublishAllPorts", a.bool("publish-all"));
        host.put("ReadonlyRootfs", a.bool("read-only"));
        nonEmpty(host, "SecurityOpt", a.list("security-opt"));
        Map<String, Object> tmpfs = new LinkedHashMap<>();
        for (String t : a.list("tmpfs")) {
            putSplit(tmpfs, t, ':');
        }
        if (!tmpfs.isEmpty()) {
            host.put("Tmpfs", tmpfs);
        }
        putIfSet(host, "UTSMode", a.value("uts"));
        putIfSet(host, "UsernsMode", a.value("userns"));
        bytesIfSet(a, host, "shm-size", "ShmSize");
        if (!a.list("sysctl").isEmpty()) {
            host.put("Sysctls", keyValues("sysctl", a));
        }
        putIfSet(host, "Runtime", a.value("runtime"));
        if (a.has("cpu-shares")) {
            host.put("CpuShares", a.integer("cpu-shares"));
        }
        bytesIfSet(a, host, "memory", "Memory");
        bytesIfSet(a, host, "memory-reservation", "MemoryReservation");
        if (a.has("memory-swap")) {
            String s = a.value("memory-swap");
            host.put("MemorySwap", s.equals("-1") ? -1L : Units.bytes("memory-swap", s));
        }
        if (a.has("cpus")) {
            host.put("NanoCpus", Units.nanoCpus(a.value("cpus")));
        }
        putIfSet(host, "CpusetCpus", a.value("cpuset-cpus"));
        nonEmpty(host, "Devices", each(a, "device", CreateRequest::device));
        if (a.has("oom-kill-disable")) {
            host.put("OomKillDisable", a.bool("oom-kill-disable"));
        }
        if (a.has("pids-limit")) {
            host.put("PidsLimit", (long) a.integer("pids-limit"));
        }
        nonEmpty(host, "Ulimits", each(a, "ulimit", CreateRequest::ulimit));
        nonEmpty(host, "Mounts", each(a, "mount", Mounts::parse));
        if (a.bool("init")) {
            host.put("Init", true);
        }

        Map<String, Object> body = new LinkedHashMap<>(config);
        body.put("HostConfig", host);
        Map<String, Object> endpoint = new LinkedHashMap<>();
        nonEmpty(endpoint, "Aliases", a.list("network-alias"));
        if (a.has("ip")) {
            endpoint.put("IPAMConfig", Map.of("IPv4Address", a.value("ip")));
        }
        if (!endpoint.isEmpty() || isUserNetwork(network)) {
            body.put("NetworkingConfig", Map.of("EndpointsConfig", Map.of(network, endpoint)));
        }
        return new CreateRequest(a.value("name"), image, body);
    }

    private static boolean isUserNetwork(String network) {
        return !(network.equals("default") || network.equals("bridge") || network.equals("host") || network.equals("none")
                || network.startsWith("container:"));
    }

    private static List<String> environment(Args a, Function<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String file : a.list("env-file")) {
            for (String line : readLines("env-file", file)) {
                addEnv(out, line, env);
            }
        }
        for (String e : a.list("env")) {
            addEnv(out, e, env);
        }
        return out;
    }

    /** {@code NAME=value} as given; a bare {@code NAME} takes the client's value, and is dropped when it has none. */
    private static void addEnv(List<String> out, String e, Function<String, String> env) {
        if (e.startsWith("=")) {
            throw new UsageException("invalid environment variable: " + e);
        }
        if (e.contains("=")) {
            out.add(e);
        } else {
            String v = env.apply(e);
            if (v != null) {
                out.add(e + "=" + v);
            }
        }
    }

    private static Map<String, Object> labels(Args a) {
        Map<String, Object> labels = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        for (String file : a.list("label-file")) {
            all.addAll(readLines("label-file", file));
        }
        all.addAll(a.list("label"));
        for (String l : all) {
            putSplit(labels, l, '=');
        }
        return labels;
    }

    private static List<String> readLines(String flag, String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UsageException("--" + flag + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * {@code -v}: a lone container path is an anonymous volume (Config.Volumes); {@code src:dst[:opts]}
     * is a bind when src is an absolute path, else a named volume; both go to HostConfig.Binds.
     */
    private static void volume(String spec, Map<String, Object> volumes, List<String> binds) {
        String[] parts = spec.split(":", -1);
        if (parts.length == 1) {
            if (!spec.startsWith("/")) {
                throw new UsageException("invalid volume specification '" + spec + "': the container path must be absolute");
            }
            volumes.put(spec, Map.of());
            return;
        }
        if (parts.length > 3 || parts[0].isEmpty() || !parts[1].startsWith("/")) {
            throw new UsageException("invalid volume specification '" + spec + "': expected [SOURCE:]/container/path[:OPTIONS]");
        }
        if (!parts[0].startsWith("/") && !parts[0].matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new UsageException("invalid volume specification '" + spec + "': \"" + parts[0]
                    + "\" is neither an absolute host path nor a valid volume name");
        }
        binds.add(spec);
    }

    private static Map<String, Object> restartPolicy(String spec) {
        String[] parts = spec.split(":", 2);
        String name = parts[0];
        Map<String, Object> p = new LinkedHashMap<>();
        switch (name) {
            case "", "no" -> p.put("Name", "no");
            case "always", "unless-stopped" -> {
                if (parts.length > 1) {
                    throw new UsageException("invalid restart policy '" + spec + "': maximum retry count applies only to on-failure");
                }
                p.put("Name", name);
            }
            case "on-failure" -> {
                p.put("Name", name);
                if (parts.length > 1) {
                    try {
                        p.put("MaximumRetryCount", Integer.parseInt(parts[1]));
                    } catch (NumberFormatException e) {
                        throw new UsageException("invalid restart policy '" + spec + "': the retry count must be a number");
                    }
                }
            }
            default -> throw new UsageException("invalid restart policy '" + spec + "': use no, always, unless-stopped or on-failure[:N]");
        }
        return p;
    }

    private static Map<String, Object> healthcheck(Args a) {
        boolean any = a.has("health-cmd") || a.has("health-interval") || a.has("health-timeout") || a.has("health-retries")
                || a.has("health-start-period") || a.has("health-start-interval");
        if (a.bool("no-healthcheck")) {
            if (any) {
                throw new UsageException("--no-healthcheck conflicts with --health-* options");
            }
            return Map.of("Test", List.of("NONE"));
        }
        if (!any) {
            return null;
        }
        Map<String, Object> h = new LinkedHashMap<>();
        if (a.has("health-cmd")) {
            h.put("Test", List.of("CMD-SHELL", a.value("health-cmd")));
        }
        durationIfSet(a, h, "health-interval", "Interval");
        durationIfSet(a, h, "health-timeout", "Timeout");
        durationIfSet(a, h, "health-start-period", "StartPeriod");
        durationIfSet(a, h, "health-start-interval", "StartInterval");
        if (a.has("health-retries")) {
            int r = a.integer("health-retries");
            if (r < 0) {
                throw new UsageException("--health-retries cannot be negative");
            }
            h.put("Retries", r);
        }
        return h;
    }

    private static void durationIfSet(Args a, Map<String, Object> h, String flag, String field) {
        if (a.has(flag)) {
            long ns = Units.durationNanos(flag, a.value(flag));
            if (ns < 0) {
                throw new UsageException("--" + flag + " cannot be negative");
            }
            h.put(field, ns);
        }
    }

    /** {@code host:ip} (docker's form) or {@code host=ip}; the address is checked to be an IP literal. */
    static String extraHost(String spec) {
        int sep = spec.indexOf('=');
        if (sep < 0) {
            sep = spec.indexOf(':');
        }
        if (sep <= 0 || sep == spec.length() - 1) {
            throw new UsageException("invalid argument \"" + spec + "\" for \"--add-host\" flag: expected host:ip");
        }
        String name = spec.substring(0, sep);
        String ip = spec.substring(sep + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.equals("host-gateway") && !ip.matches("[0-9.]+|[0-9a-fA-F:.]+")) {
            throw new UsageException("invalid argument \"" + spec + "\" for \"--add-host\" flag: " + ip + " is not an IP address");
        }
        return name + ":" + ip;
    }

    static Map<String, Object> device(String spec) {
        String[] p = spec.split(":");
        if (p.length > 3 || p[0].isEmpty()) {
            throw new UsageException("invalid device specification '" + spec + "': expected /host/path[:/container/path][:rwm]");
        }
        String inContainer = p[0];
        String perms = "rwm";
        if (p.length == 2) {
            if (p[1].matches("[rwm]+")) {
                perms = p[1];
            } else {
                inContainer = p[1];
            }
        } else if (p.length == 3) {
            inContainer = p[1];
            perms = p[2];
        }
        if (!perms.matches("[rwm]+")) {
            throw new UsageException("invalid device specification '" + spec + "': permissions must be a combination of r, w, m");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("PathOnHost", p[0]);
        d.put("PathInContainer", inContainer);
        d.put("CgroupPermissions", perms);
        return d;
    }

    static Map<String, Object> ulimit(String spec) {
        String[] kv = keyValue("ulimit", spec);
        String[] limits = kv[1].split(":");
        try {
            long soft = Long.parseLong(limits[0]);
            long hard = limits.length > 1 ? Long.parseLong(limits[1]) : soft;
            if (limits.length > 2 || soft > hard && hard != -1) {
                throw new NumberFormatException();
            }
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("Name", kv[0]);
            u.put("Hard", hard);
            u.put("Soft", soft);
            return u;
        } catch (NumberFormatException e) {
            throw new UsageException("invalid argument \"" + spec + "\" for \"--ulimit\" flag: expected name=soft[:hard] with soft <= hard");
        }
    }

    /** Each {@code key=value} of a list flag, in order, as a map (a later key replaces an earlier one). */
    private static Map<String, Object> keyValues(String flag, Args a) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String spec : a.list(flag)) {
            String[] kv = keyValue(flag, spec);
            m.put(kv[0], kv[1]);
        }
        return m;
    }

    /** {@code key<sep>value} into {@code m}; without the separator the whole spec is the key and the value is empty. */
    private static void putSplit(Map<String, Object> m, String spec, char sep) {
        int at = spec.indexOf(sep);
        m.put(at < 0 ? spec : spec.substring(0, at), at < 0 ? "" : spec.substring(at + 1));
    }

    /** Each value of a list flag mapped by {@code parse}, in order. */
    private static List<Object> each(Args a, String flag, Function<String, ?> parse) {
        List<Object> out = new ArrayList<>();
        for (String spec : a.list(flag)) {
            out.add(parse.apply(spec));
        }
        return out;
    }

    private static void bytesIfSet(Args a, Map<String, Object> m, String flag, String key) {
        if (a.has(flag)) {
            m.put(key, Units.bytes(flag, a.value(flag)));
        }
    }

    private static String[] keyValue(String flag, String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("invalid argument \"" + spec + "\" for \"--" + flag + "\" flag: expected key=value");
        }
        return new String[] {spec.substring(0, eq), spec.substring(eq + 1)};
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static void nonEmpty(Map<String, Object> m, String key, List<?> values) {
        if (!values.isEmpty()) {
            m.put(key, List.copyOf(values));
        }
    }
}
