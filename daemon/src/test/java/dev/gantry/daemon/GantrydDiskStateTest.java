package dev.gantry.daemon;

import static dev.gantry.daemon.GantrydProcess.DOCKER;
import static dev.gantry.daemon.GantrydProcess.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.Leaks;
import dev.gantry.testkit.Mountinfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the docker CLI's commands leave on disk under gantryd's default (in-process) runtime:
 * {@code rm -f} of a running container leaves no process, cgroup, mount or directory; the
 * json-file log rotates at {@code max-size} and keeps {@code max-file} files, and {@code logs}
 * reads what they still hold.
 */
@SharedGantryd
class GantrydDiskStateTest {
    /** One json-file entry as gantryd writes it for a line of stdout. */
    private static final Pattern ENTRY = Pattern.compile(
            "\\{\"log\":\"line-(\\d+)\\\\n\",\"stream\":\"stdout\",\"time\":\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\"}");

    private final GantrydProcess gantryd;

    GantrydDiskStateTest(GantrydProcess gantryd) {
        this.gantryd = gantryd;
    }

    @Test
    void removeForceOfARunningContainerLeavesNoProcessCgroupMountOrDirectory() throws Exception {
        String id = gantryd.ok(DOCKER, "run", "-d", "--name", "rmf", IMAGE, "sh", "-c", "sleep 1000 & exec sleep 1001").trim();
        try {
            gantryd.rememberContainers(DOCKER);
            long pid = Long.parseLong(gantryd.ok(DOCKER, "inspect", "--format", "{{.State.Pid}}", "rmf").trim());
            Path containerDir = Path.of(gantryd.ok(DOCKER, "inspect", "--format", "{{.LogPath}}", "rmf").trim()).getParent();
            assertThat(alive(pid)).as("init %d", pid).isTrue();
            long child = childOf(pid);
            assertThat(alive(child)).as("the init's child %d", child).isTrue();
            assertThat(mountsOf(id)).as("the rootfs mount of %s", id).isNotEmpty();
            assertThat(Leaks.cgroups(List.of(id))).as("the cgroups of %s", id).isNotEmpty();
            assertThat(containerDir).isDirectory();

            assertThat(gantryd.ok(DOCKER, "rm", "-f", "rmf")).isEqualTo("rmf\n");

            assertThat(gantryd.ok(DOCKER, "ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}")).doesNotContain(id, "rmf");
            var gone = gantryd.docker(DOCKER, "inspect", "rmf");
            assertThat(gone.exitCode()).as(gone.describe()).isEqualTo(1);
            assertThat(gone.stderr()).contains("No such object: rmf");
            assertThat(alive(pid)).as("init %d after rm -f", pid).isFalse();
            assertThat(alive(child)).as("the init's child %d after rm -f", child).isFalse();
            assertThat(Leaks.cgroups(List.of(id))).as("cgroups after rm -f").isEmpty();
            assertThat(containerDir).as("the container's directory after rm -f").doesNotExist();
            // Eventually: the network namespace pin goes with the CNI DEL, which runs in the background.
            GantrydNetworkTest.eventually(() -> assertThat(mountsOf(id)).as("mounts after rm -f").isEmpty());
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "rmf");
        }
    }

    @Test
    void jsonFileLogRotatesAtMaxSizeKeepsMaxFileAndLogsShowsTheNewestLines() throws Exception {
        gantryd.ok(DOCKER, "run", "-d", "--name", "rot", "--log-opt", "max-size=1k", "--log-opt", "max-file=3", IMAGE, "sh", "-c",
                "i=1; while [ $i -le 300 ]; do echo line-$i; i=$((i+1)); done");
        try {
            gantryd.rememberContainers(DOCKER);
            assertThat(gantryd.ok(DOCKER, "wait", "rot")).isEqualTo("0\n");
            assertThat(gantryd.ok(DOCKER, "inspect", "--format", "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}", "rot"))
                    .as("the options as given, as Docker shows them").isEqualTo("json-file {\"max-file\":\"3\",\"max-size\":\"1k\"}\n");
            Path log = Path.of(gantryd.ok(DOCKER, "inspect", "--format", "{{.LogPath}}", "rot").trim());
            String name = log.getFileName().toString();
            List<String> files;
            try (Stream<Path> s = Files.list(log.getParent())) {
                files = s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(name)).sorted().toList();
            }
            // About 25 kB were written: the log rotated many times and only the newest three files remain.
            assertThat(files).containsExactly(name, name + ".1", name + ".2");
            List<Integer> onDisk = new ArrayList<>();
            for (String f : List.of(name + ".2", name + ".1", name)) {
                Path p = log.resolveSibling(f);
                assertThat(Files.size(p)).as("size of %s", f).isPositive().isLessThanOrEqualTo(1024);
                for (String line : Files.readAllLines(p)) {
                    Matcher m = ENTRY.matcher(line);
                    assertThat(m.matches()).as("entry in %s: %s", f, line).isTrue();
                    onDisk.add(Integer.parseInt(m.group(1)));
                }
            }
            assertThat(onDisk.getLast()).isEqualTo(300);
            assertThat(onDisk.getFirst()).as("the first line kept").isGreaterThan(200);
            for (int i = 1; i < onDisk.size(); i++) {
                assertThat(onDisk.get(i)).as("line after line-%d", onDisk.get(i - 1)).isEqualTo(onDisk.get(i - 1) + 1);
            }

            StringBuilder expected = new StringBuilder();
            onDisk.forEach(n -> expected.append("line-").append(n).append('\n'));
            String logs = gantryd.ok(DOCKER, "logs", "rot");
            assertThat(logs).as("docker logs reads the rotated files oldest first").isEqualTo(expected.toString());
            assertThat(logs).doesNotContain("line-1\n").doesNotContain("line-200\n").endsWith("line-299\nline-300\n");
            assertThat(gantryd.ok(DOCKER, "logs", "--tail", "2", "rot")).isEqualTo("line-299\nline-300\n");
        } finally {
            gantryd.docker(DOCKER, "rm", "-f", "rot");
        }
    }

    /** The mount points under the daemon's directory that name the container. */
    private List<String> mountsOf(String id) {
        return Mountinfo.under(gantryd.dir).stream().filter(m -> m.contains(id)).toList();
    }

    /** The first child of {@code pid}, waiting for the shell to have forked it. */
    private static long childOf(long pid) throws IOException, InterruptedException {
        Path file = Path.of("/proc/" + pid + "/task/" + pid + "/children");
        String children = Files.readString(file).trim();
        for (int i = 0; i < 200 && children.isEmpty(); i++) {
            Thread.sleep(10);
            children = Files.readString(file).trim();
        }
        assertThat(children).as("children of %d", pid).isNotEmpty();
        return Long.parseLong(children.split(" ")[0]);
    }

    /** Alive and not a zombie. */
    private static boolean alive(long pid) throws IOException {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }
}
