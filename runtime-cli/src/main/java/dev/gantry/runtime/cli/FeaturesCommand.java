package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.JsonTree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** features.md: what this runtime implements, for callers that ask before they configure. */
final class FeaturesCommand implements Verb {
    @Override
    public String name() {
        return "features";
    }

    @Override
    public String summary() {
        return "Print the features this runtime supports as JSON.";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of();
    }

    @Override
    public int run(GantryRunc app, Args a) throws Exception {
        a.atMost(name(), 0);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("ociVersionMin", "1.0.0");
        f.put("ociVersionMax", "1.2.0");
        f.put("hooks", List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"));
        f.put("mountOptions", List.of("async", "atime", "bind", "dev", "diratime", "dirsync", "exec", "mand",
                "noatime", "nodev", "nodiratime", "noexec", "nomand", "norelatime", "nostrictatime", "nosuid",
                "nosymfollow", "private", "rbind", "relatime", "remount", "ro", "rprivate", "rshared", "rslave",
                "runbindable", "rw", "shared", "slave", "strictatime", "suid", "symfollow", "sync", "unbindable"));
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"));
        linux.put("seccomp", Map.of("enabled", true,
                "actions", List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                        "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"),
                "operators", List.of("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                        "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"),
                "archs", List.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32")));
        f.put("linux", linux);
        System.out.println(new String(JsonTree.write(f, true), java.nio.charset.StandardCharsets.UTF_8));
        return 0;
    }
}
