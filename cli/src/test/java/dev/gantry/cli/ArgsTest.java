package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final List<Flag> FLAGS = List.of(Flag.bool("interactive", 'i', ""), Flag.bool("tty", 't', ""),
            Flag.bool("rm", ""), Flag.value("name", ""), Flag.list("env", 'e', ""), Flag.list("publish", 'p', ""),
            Flag.value("user", 'u', ""));

    private static Args parse(boolean interspersed, String... tokens) {
        return Args.parse(FLAGS, List.of(tokens), interspersed);
    }

    @Test
    void combinedShortFlagsSetEachBool() {
        Args a = parse(false, "-it", "busybox", "sh");
        assertThat(a.bool("interactive")).isTrue();
        assertThat(a.bool("tty")).isTrue();
        assertThat(a.positional()).containsExactly("busybox", "sh");
    }

    @Test
    void valuesTakeEqualsOrTheNextTokenOrTheRestOfAShortGroup() {
        Args a = parse(false, "--name=web", "-e", "A=1", "--env", "B=2", "-eC=3", "-p8080:80", "-itu", "1000", "img");
        assertThat(a.value("name")).isEqualTo("web");
        assertThat(a.list("env")).containsExactly("A=1", "B=2", "C=3");
        assertThat(a.list("publish")).containsExactly("8080:80");
        assertThat(a.value("user")).isEqualTo("1000");
        assertThat(a.positional()).containsExactly("img");
    }

    @Test
    void theLastValueWinsAndBoolsTakeExplicitValues() {
        Args a = parse(true, "--name", "a", "--name", "b", "--rm=false", "-t=true");
        assertThat(a.value("name")).isEqualTo("b");
        assertThat(a.has("rm")).isTrue();
        assertThat(a.bool("rm")).isFalse();
        assertThat(a.bool("tty")).isTrue();
    }

    @Test
    void flagsAfterTheImageBelongToTheProgramWhenNotInterspersed() {
        Args a = parse(false, "--rm", "busybox", "ls", "-l", "--name", "x");
        assertThat(a.positional()).containsExactly("busybox", "ls", "-l", "--name", "x");
        assertThat(a.has("name")).isFalse();
    }

    @Test
    void flagsMayFollowArgumentsWhenInterspersed() {
        Args a = parse(true, "web", "--rm", "db");
        assertThat(a.positional()).containsExactly("web", "db");
        assertThat(a.bool("rm")).isTrue();
    }

    @Test
    void doubleDashEndsTheFlags() {
        Args a = parse(true, "--rm", "--", "-t", "x");
        assertThat(a.bool("tty")).isFalse();
        assertThat(a.positional()).containsExactly("-t", "x");
    }

    @Test
    void aLoneDashIsAnArgument() {
        assertThat(parse(true, "-").positional()).containsExactly("-");
    }

    @Test
    void helpIsRecognisedLongAndShortUnlessTaken() {
        assertThat(parse(true, "--help").help()).isTrue();
        assertThat(parse(true, "-h").help()).isTrue();
        Args withHostname = Args.parse(List.of(Flag.value("hostname", 'h', "")), List.of("-h", "box"), true);
        assertThat(withHostname.help()).isFalse();
        assertThat(withHostname.value("hostname")).isEqualTo("box");
    }

    @Test
    void badInputIsAUsageErrorNamingTheToken() {
        assertThatThrownBy(() -> parse(true, "--bogus")).isInstanceOf(UsageException.class).hasMessage("unknown flag: --bogus");
        assertThatThrownBy(() -> parse(true, "-x")).isInstanceOf(UsageException.class).hasMessageContaining("'x'");
        assertThatThrownBy(() -> parse(true, "--name")).isInstanceOf(UsageException.class).hasMessage("flag needs an argument: --name");
        assertThatThrownBy(() -> parse(true, "--rm=maybe")).isInstanceOf(UsageException.class).hasMessageContaining("--rm");
        assertThatThrownBy(() -> Args.parse(List.of(Flag.value("time", 't', "")), List.of("-t", "soon"), true).integer("time"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--time");
    }
}
