package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {
    private static final List<Args.Opt> OPTS = List.of(
            Args.Opt.value("--bundle", "-b", "dir", "bundle"),
            Args.Opt.flag("--detach", "-d", "detach"),
            Args.Opt.value("--env", "-e", "KEY=VALUE", "env"));

    @Test
    void optionsEndAtTheFirstPositional() {
        Args a = Args.parse("exec", OPTS, List.of("-d", "--bundle", "/b", "ctr", "sh", "-c", "echo -d"));
        assertThat(a.flag("--detach")).isTrue();
        assertThat(a.value("--bundle")).contains("/b");
        assertThat(a.positionals()).containsExactly("ctr", "sh", "-c", "echo -d");
    }

    @Test
    void acceptsEqualsFormShortNamesAndRepeats() {
        Args a = Args.parse("exec", OPTS, List.of("--bundle=/x", "-e", "A=1", "--env=B=2", "id"));
        assertThat(a.value("--bundle")).contains("/x");
        assertThat(a.values("--env")).containsExactly("A=1", "B=2");
        assertThat(a.flag("--detach")).isFalse();
    }

    @Test
    void doubleDashEndsOptions() {
        Args a = Args.parse("run", OPTS, List.of("--", "-d"));
        assertThat(a.positionals()).containsExactly("-d");
        assertThat(a.flag("--detach")).isFalse();
    }

    @Test
    void flagsTakeOnlyBooleanValues() {
        assertThat(Args.parse("run", OPTS, List.of("--detach=false", "id")).flag("--detach")).isFalse();
        assertThatThrownBy(() -> Args.parse("run", OPTS, List.of("--detach=yes", "id")))
                .isInstanceOf(GantryException.class).hasMessageContaining("--detach takes no value");
    }

    @Test
    void errorsNameTheOptionAndTheHelpCommand() {
        assertThatThrownBy(() -> Args.parse("run", OPTS, List.of("--nope", "id")))
                .hasMessage("run: unknown option --nope (see gantry-runc run --help)");
        assertThatThrownBy(() -> Args.parse("run", OPTS, List.of("--bundle")))
                .hasMessageContaining("--bundle needs a value (dir)");
        Args a = Args.parse("kill", OPTS, List.of("id", "KILL", "extra"));
        assertThatThrownBy(() -> a.atMost("kill", 2)).hasMessageContaining("unexpected argument \"extra\"");
        assertThatThrownBy(() -> Args.parse("start", OPTS, List.of()).positional("start", 0, "<container-id>"))
                .hasMessageContaining("missing <container-id>");
    }

    @Test
    void numbersAreChecked() {
        List<Args.Opt> opts = List.of(Args.Opt.value("--pids-limit", null, "n", "pids"));
        assertThat(Args.parse("update", opts, List.of("--pids-limit", "-1", "id")).longValue("update", "--pids-limit"))
                .contains(-1L);
        assertThatThrownBy(() -> Args.parse("update", opts, List.of("--pids-limit", "ten", "id"))
                .longValue("update", "--pids-limit")).hasMessageContaining("expects a number, got \"ten\"");
    }

    @Test
    void verbsAreFoundAfterGlobalOptions() {
        assertThat(GantryRunc.execute("--root", "/nonexistent-root", "--log-format", "json", "list", "-q")).isZero();
        assertThat(GantryRunc.execute("--root", "/nonexistent-root", "frobnicate")).isEqualTo(1);
        assertThat(GantryRunc.execute("--version")).isZero();
    }
}
