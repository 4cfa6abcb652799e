package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonOptionsTest {
    @Test
    void defaultsPutTheSocketAndPidFileUnderTheExecRoot() {
        DaemonOptions o = DaemonOptions.parse(List.of());
        assertThat(o.root()).isEqualTo(Path.of("/var/lib/gantry"));
        assertThat(o.socket()).isEqualTo(Path.of("/run/gantry/gantry.sock"));
        assertThat(o.pidFile()).isEqualTo(Path.of("/run/gantry/gantryd.pid"));
        assertThat(o.debug()).isFalse();
        assertThat(o.favorDynmods()).as("favordynmods is set by default").isTrue();
        assertThat(o.rcuExpedited()).as("rcu_expedited is turned on by default").isTrue();
    }

    @Test
    void favordynmodsTakesABooleanAsDockerdFlagsDo() {
        assertThat(DaemonOptions.parse(List.of("--cgroup-favordynmods=false")).favorDynmods()).isFalse();
        assertThat(DaemonOptions.parse(List.of("--cgroup-favordynmods=true")).favorDynmods()).isTrue();
        assertThat(DaemonOptions.parse(List.of("--cgroup-favordynmods")).favorDynmods()).isTrue();
        assertThat(DaemonOptions.parse(List.of("--rcu-expedited=false")).rcuExpedited()).isFalse();
        assertThat(DaemonOptions.parse(List.of("--rcu-expedited")).rcuExpedited()).isTrue();
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("--cgroup-favordynmods=no")))
                .hasMessageContaining("--cgroup-favordynmods takes true or false, not no");
    }

    @Test
    void parsesEveryOptionInBothSpellings() {
        DaemonOptions o = DaemonOptions.parse(List.of("--root", "/r", "--exec-root=/e", "-H", "unix:///var/run/docker.sock",
                "--insecure-registry", "localhost:5000", "--insecure-registry=127.0.0.1:5001", "--debug"));
        assertThat(o.root()).isEqualTo(Path.of("/r"));
        assertThat(o.execRoot()).isEqualTo(Path.of("/e"));
        assertThat(o.socket()).isEqualTo(Path.of("/var/run/docker.sock"));
        assertThat(o.insecureRegistries()).containsExactlyInAnyOrder("localhost:5000", "127.0.0.1:5001");
        assertThat(o.debug()).isTrue();
        assertThat(DaemonOptions.parse(List.of("--exec-root", "/x")).socket()).isEqualTo(Path.of("/x/gantry.sock"));
    }

    @Test
    void rejectsTcpHostsUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("-H", "tcp://0.0.0.0:2375")))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("only unix://PATH");
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("--bogus"))).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> DaemonOptions.parse(List.of("--root"))).hasMessageContaining("--root needs a value");
    }
}
