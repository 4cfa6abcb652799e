package dev.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.cgroups.Cgroups;
import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.OciJson;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.seccomp.DockerSeccompProfile;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What seccomp and cgroup limits add to a container start: {@link LifecycleBench}'s
 * create → start → wait → delete on four variants of one bundle — as given, with Docker's
 * default seccomp profile (compiled at every create, loaded before execve), with a memory and
 * pids limit written to the cgroup, and with both. The variants take turns within each round
 * so that a load change on the machine shifts all of them alike.
 *
 * <p>Usage: IsolationCostBench BUNDLE DOCKER_PROFILE [ROUNDS] [WARMUP]. BUNDLE is a runc-style
 * bundle whose process exits 0 (e.g. /bin/true); the variants are written next to it in a
 * temporary directory, sharing its rootfs. Prints each variant's median, p90 and min in ms,
 * and the median's difference to the plain variant.
 */
public final class IsolationCostBench {
    private static final long MEMORY_LIMIT = 256L << 20;
    private static final long PIDS_LIMIT = 100;

    private IsolationCostBench() {}

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]).toAbsolutePath();
        Path profile = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 30;

        Path work = Files.createTempDirectory("gantry-isolation-bench");
        Map<String, Path> variants = variants(bundle, profile, work);
        Syscalls sys = new LinuxSyscalls();
        HelperBinary helper = HelperBinary.load(sys);
        HostFacts host = HostFacts.probe();
        Cgroups cgroups = Cgroups.host();
        ContainerRuntime rt = new ContainerRuntime(sys, work.resolve("state"), () -> helper, () -> host, () -> cgroups,
                w -> { });
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        Map<String, double[]> ms = new LinkedHashMap<>();
        variants.keySet().forEach(v -> ms.put(v, new double[rounds]));
        int run = 0;
        for (int i = -warmup; i < rounds; i++) {
            for (var v : variants.entrySet()) {
                double t = LifecycleBench.once(rt, "iso-bench-" + run++, v.getValue());
                if (i >= 0) {
                    ms.get(v.getKey())[i] = t;
                }
            }
        }
        double plain = 0;
        System.out.printf("create+start+wait+delete, in-process, %d rounds after %d warm-up rounds"
                + " (loadavg before: %s, after: %s; %d cores)%n", rounds, warmup, loadBefore,
                Files.readString(Path.of("/proc/loadavg")).strip(), Runtime.getRuntime().availableProcessors());
        for (var e : ms.entrySet()) {
            double[] a = e.getValue();
            Arrays.sort(a);
            double median = a[rounds / 2];
            if (e.getKey().equals("plain")) {
                plain = median;
            }
            System.out.printf("  %-18s median=%6.2f ms  p90=%6.2f ms  min=%6.2f ms  (median %+.2f ms vs plain)%n",
                    e.getKey(), median, a[(int) (rounds * 0.9)], a[0], median - plain);
        }
        deleteTree(work);
    }

    /** The four configs, each in its own bundle directory with root.path pointing at BUNDLE's rootfs. */
    private static Map<String, Path> variants(Path bundle, Path profile, Path work) throws IOException {
        ObjectMapper json = OciJson.mapper();
        ObjectNode base = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ObjectNode root = (ObjectNode) base.get("root");
        root.put("path", bundle.resolve(root.get("path").asText()).normalize().toString());
        ObjectNode linux = (ObjectNode) base.get("linux");
        linux.remove("seccomp");

        List<String> bounding = new ArrayList<>();
        base.at("/process/capabilities/bounding").forEach(c -> bounding.add(c.asText()));
        LinuxSeccomp seccomp = DockerSeccompProfile.read(profile).toLinuxSeccomp(bounding);
        // Through text: valueToTree would turn the unsigned 64-bit argument values into floats.
        JsonNode seccompTree = json.readTree(json.writeValueAsString(seccomp));

        Map<String, Path> out = new LinkedHashMap<>();
        for (String v : List.of("plain", "seccomp", "resources", "seccomp+resources")) {
            ObjectNode config = base.deepCopy();
            ObjectNode l = (ObjectNode) config.get("linux");
            if (v.contains("seccomp")) {
                l.set("seccomp", seccompTree);
            }
            if (v.contains("resources")) {
                ObjectNode resources = l.has("resources") ? (ObjectNode) l.get("resources") : l.putObject("resources");
                resources.putObject("memory").put("limit", MEMORY_LIMIT).put("swap", MEMORY_LIMIT);
                resources.putObject("pids").put("limit", PIDS_LIMIT);
            }
            Path dir = Files.createDirectories(work.resolve(v.replace('+', '-')));
            json.writeValue(dir.resolve("config.json").toFile(), config);
            out.put(v, dir);
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
