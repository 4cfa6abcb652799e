package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecTest {
    @Test
    void defaultIsRuncSpecWithoutTerminal() {
        Map<String, Object> tree = OciSpec.runcDefault().toMap();
        assertThat(tree).containsEntry("hostname", "runc").containsEntry("ociVersion", "1.0.2-dev");
        assertThat(at(tree, "process")).containsEntry("terminal", false).containsEntry("args", List.of("sh"));
        assertThat(at(tree, "root")).containsEntry("readonly", true).containsEntry("path", "rootfs");
        assertThat(list(at(tree, "linux"), "namespaces")).hasSize(5);
    }

    @Test
    void matchesWhatRuncSpecWritesWhenRuncIsInstalled(@TempDir Path dir) throws Exception {
        Path runc = Path.of("/usr/bin/runc");
        Assumptions.assumeTrue(Files.isExecutable(runc), "runc not installed");
        Process process = new ProcessBuilder(runc.toString(), "spec").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        Map<String, Object> runcSpec = Json.parseObject(Files.readString(dir.resolve("config.json")));
        at(runcSpec, "process").put("terminal", false);
        assertThat(OciSpec.runcDefault().toMap()).isEqualTo(runcSpec);
    }

    @Test
    void buildsEveryFieldTheTestsUse() {
        Map<String, Object> tree = OciSpec.runcDefault()
                .shell("echo hi")
                .user(1000, 1000).additionalGids(10, 20).umask(0077)
                .cwd("/tmp").addEnv("A=b")
                .hostname("h").domainname("d")
                .namespace("user").withoutNamespace("network")
                .uidMapping(new IdMapping(0, 100000, 65536))
                .mount(Mount.tmpfs("/data", "size=1m"))
                .withoutMount("/sys/fs/cgroup")
                .rlimit(new Rlimit("RLIMIT_NOFILE", 2000, 1000))
                .hook(HookKind.poststop, Hook.shell("true").withTimeout(3))
                .device(Device.character("/dev/x", 10, 229, 0666))
                .sysctl("net.ipv4.ip_forward", "1")
                .set("linux.rootfsPropagation", "private")
                .toMap();
        assertThat(at(tree, "process").get("args")).isEqualTo(List.of("sh", "-c", "echo hi"));
        assertThat(at(at(tree, "process"), "user")).containsEntry("uid", 1000).containsEntry("umask", 63)
                .containsEntry("additionalGids", List.of(10, 20));
        assertThat(list(at(tree, "process"), "env")).endsWith("A=b");
        assertThat(list(at(tree, "process"), "rlimits"))
                .containsExactly(Map.of("type", "RLIMIT_NOFILE", "hard", 2000, "soft", 1000));
        assertThat(list(at(tree, "linux"), "namespaces")).contains(Map.of("type", "user"))
                .doesNotContain(Map.of("type", "network"));
        assertThat(list(at(tree, "linux"), "uidMappings"))
                .containsExactly(Map.of("containerID", 0, "hostID", 100000, "size", 65536));
        assertThat(list(tree, "mounts")).contains(
                Map.of("destination", "/data", "type", "tmpfs", "source", "tmpfs", "options", List.of("size=1m")));
        assertThat(tree.get("mounts").toString()).doesNotContain("/sys/fs/cgroup");
        assertThat(at(tree, "hooks").get("poststop"))
                .isEqualTo(List.of(Map.of("path", "/bin/sh", "args", List.of("sh", "-c", "true"), "timeout", 3)));
        assertThat(list(at(tree, "linux"), "devices")).containsExactly(Map.of(
                "path", "/dev/x", "type", "c", "major", 10, "minor", 229, "fileMode", 438, "uid", 0, "gid", 0));
        assertThat(at(tree, "linux")).containsEntry("rootfsPropagation", "private")
                .containsEntry("sysctl", Map.of("net.ipv4.ip_forward", "1"));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> tree, String key) {
        return (List<Object>) tree.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> tree, String key) {
        return (Map<String, Object>) tree.get(key);
    }
}
