package dev.gantry.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.IdMapping;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.RuntimeSandbox;
import dev.gantry.testkit.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user namespace with container root mapped to an unprivileged host range. */
@RequiresRoot
class UserNamespaceTest {
    private static final int HOST_BASE = 100000;
    private static final int SIZE = 65536;

    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    @Test
    void rootInsideIsAnUnprivilegedUidOutside() throws Exception {
        OciSpec spec = OciSpec.runcDefault()
                .namespace("user")
                .uidMapping(new IdMapping(0, HOST_BASE, SIZE))
                .gidMapping(new IdMapping(0, HOST_BASE, SIZE))
                // A v1 cgroup hierarchy cannot be mounted from a user namespace; not what this test is about.
                .withoutMount("/sys/fs/cgroup")
                .shell("id -u; id -g; cat /proc/self/uid_map; echo ready; sleep 1000");
        String id = sandbox.newId();
        var bundle = sandbox.bundleWithoutRootfs(spec);
        dev.gantry.testkit.BusyboxRootfs.copyTo(bundle.rootfs());
        TestFiles.chownTree(bundle.rootfs(), HOST_BASE, HOST_BASE);
        var create = sandbox.cli().invoke("create", "--bundle", bundle.dir().toString(), id);
        assertThat(create.exitCode()).as(create.describe()).isZero();
        sandbox.cli().invoke("start", id).assertSuccess();
        String out = containers.awaitOutput(new Containers.Made(id, bundle, create), "ready");

        String[] lines = out.strip().split("\n");
        assertThat(lines[0]).isEqualTo("0");
        assertThat(lines[1]).isEqualTo("0");
        assertThat(lines[2].trim().split("\\s+")).containsExactly("0", String.valueOf(HOST_BASE), String.valueOf(SIZE));
        long pid = sandbox.cli().state(id).pid();
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        String uidLine = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertThat(uidLine.substring(4).trim().split("\\s+")).containsOnly(String.valueOf(HOST_BASE));
    }
}
