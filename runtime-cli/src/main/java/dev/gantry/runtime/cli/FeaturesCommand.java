package dev.gantry.runtime.cli;

import dev.gantry.oci.runtime.OciJson;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** features.md: what this runtime implements, for callers that ask before they configure. */
@Command(name = "features", description = "Print the features this runtime supports as JSON.")
final class FeaturesCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
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
        System.out.println(OciJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(f));
        return 0;
    }
}
