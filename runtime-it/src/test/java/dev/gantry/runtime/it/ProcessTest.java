package dev.gantry.runtime.it;

import static dev.gantry.runtime.it.Containers.BEYOND_RUNC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import dev.gantry.testkit.Rlimit;
import dev.gantry.testkit.RuntimeSandbox;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** process.*: exit code, user, env, cwd, umask, rlimits, oomScoreAdj. */
@RequiresRoot
class ProcessTest {
    @RegisterExtension
    final RuntimeSandbox sandbox = new RuntimeSandbox();
    private final Containers containers = new Containers(sandbox);

    @Test
    void runReturnsTheContainersExitCode() {
        Containers.Made made = containers.run(OciSpec.runcDefault().shell("exit 42"));
        assertThat(made.result().exitCode()).as(made.result().describe()).isEqualTo(42);
    }

    @Test
    void runsAsTheRequestedUserAndGroups() {
        String out = containers.output(OciSpec.runcDefault().user(1000, 1000).additionalGids(10, 20)
                .shell("id -u; id -g; id -G"));
        String[] lines = out.split("\n");
        assertThat(lines[0]).isEqualTo("1000");
        assertThat(lines[1]).isEqualTo("1000");
        assertThat(Arrays.asList(lines[2].split(" "))).contains("1000", "10", "20");
    }

    @Test
    void environmentIsExactlyTheConfigured() {
        String out = containers.output(OciSpec.runcDefault()
                .env("PATH=/bin:/usr/bin:/sbin:/usr/sbin", "GREETING=hello world")
                .shell("echo \"$GREETING\"; env | grep -c '^GREETING='"));
        assertThat(out).isEqualTo("hello world\n1");
    }

    @Test
    void startsInTheConfiguredWorkingDirectory() {
        assertThat(containers.output(OciSpec.runcDefault().cwd("/home/user").shell("pwd"))).isEqualTo("/home/user");
    }

    @Test
    void appliesTheUmask() {
        assertThat(containers.output(OciSpec.runcDefault().umask(0027).shell("umask"))).isEqualTo("0027");
    }

    @Test
    void setsRlimitsWithinTheHardLimit() {
        String out = containers.output(OciSpec.runcDefault().rlimit(new Rlimit("RLIMIT_NOFILE", 3000, 1500))
                .shell("ulimit -n; ulimit -Hn"));
        assertThat(out).isEqualTo("1500\n3000");
    }

    /** CAP_SYS_RESOURCE is missing here (hard limit 20000): asking for more must fail and say which limit. */
    @Test
    @Tag(BEYOND_RUNC)
    void rlimitAboveTheHostHardLimitFailsNamingTheLimit() {
        Containers.Made made = containers.run(OciSpec.runcDefault()
                .rlimit(new Rlimit("RLIMIT_NOFILE", 1_048_576, 1_048_576)).shell("echo started"));
        assertThat(made.result().exitCode()).as(made.result().describe()).isNotZero();
        assertThat(made.result().stdout()).as(made.result().describe()).doesNotContain("started");
        assertThat(made.result().stderr()).as(made.result().describe()).contains("RLIMIT_NOFILE");
        sandbox.assertNothingLeft(made.id(), made.result());
    }

    @Test
    void setsOomScoreAdj() {
        assertThat(containers.output(OciSpec.runcDefault().oomScoreAdj(123).shell("cat /proc/self/oom_score_adj")))
                .isEqualTo("123");
    }
}
