package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a daemon: dispatch, help, usage errors and their exit codes. */
class GantryTest {
    record Run(int code, String out, String err) {}

    private static Run run(Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Gantry(env, null).run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InputStream.nullInputStream());
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandsAndFlagsExit125WithOneLineSayingWhereHelpIs() {
        Run cmd = run(Map.of(), "frobnicate");
        assertThat(cmd.code()).isEqualTo(125);
        assertThat(cmd.err()).isEqualTo("gantry: 'frobnicate' is not a gantry command; see 'gantry --help'\n");
        Run flag = run(Map.of(), "ps", "--bogus");
        assertThat(flag.code()).isEqualTo(125);
        assertThat(flag.err()).isEqualTo("gantry ps: unknown flag: --bogus; see 'gantry ps --help'\n");
        Run arity = run(Map.of(), "rename", "onlyone");
        assertThat(arity.code()).isEqualTo(125);
        assertThat(arity.err()).contains("requires exactly 2 arguments");
        assertThat(run(Map.of(), "--bogus", "ps").code()).isEqualTo(125);
    }

    @Test
    void loginWithoutAPasswordNeedsATerminalToAskOn() {
        Run r = run(Map.of("GANTRY_HOST", "unix:///nonexistent/gantry.sock", "GANTRY_AUTOSTART", "0"),
                "login", "-u", "someone", "127.0.0.1:5000");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).contains("cannot perform an interactive login from a non TTY device");
    }

    @Test
    void everyCommandHasHelp() {
        Gantry g = new Gantry(Map.of(), null);
        for (Command c : g.commands().values()) {
            List<String> argv = new java.util.ArrayList<>(List.of(c.name().split(" ")));
            argv.add("--help");
            Run r = run(Map.of(), argv.toArray(String[]::new));
            assertThat(r.code()).as(c.name()).isZero();
            assertThat(r.out()).as(c.name()).contains("Usage:  gantry " + c.name()).contains(c.summary());
        }
        assertThat(run(Map.of(), "run", "--help").out()).contains("-p, --publish list").contains("--health-cmd string");
        assertThat(run(Map.of(), "--help").out()).contains("volume ls").contains("Global Options");
        assertThat(run(Map.of(), "help", "ps").out()).contains("Usage:  gantry ps");
    }

    @Test
    void aManagementCommandAloneListsItsSubcommands() {
        Run volume = run(Map.of(), "volume");
        assertThat(volume.code()).isZero();
        assertThat(volume.out()).contains("Usage:  gantry volume COMMAND").contains("  ls        List volumes");
        assertThat(run(Map.of(), "container", "--help").out()).contains("  ls        List containers").contains("  prune     ");
        assertThat(run(Map.of(), "image").out()).contains("  rm        Remove one or more images").doesNotContain("List containers");
        Run bogus = run(Map.of(), "network", "bogus");
        assertThat(bogus.code()).isEqualTo(125);
        assertThat(bogus.err()).isEqualTo("gantry network: 'bogus' is not a network command; see 'gantry network --help'\n");
    }

    @Test
    void managementCommandsAliasTheVerbs() {
        Gantry g = new Gantry(Map.of(), null);
        assertThat(g.resolve(List.of("container", "ls", "-a")).command().name()).isEqualTo("ps");
        assertThat(g.resolve(List.of("image", "rm", "x")).command().name()).isEqualTo("rmi");
        assertThat(g.resolve(List.of("image", "ls")).command().name()).isEqualTo("images");
        assertThat(g.resolve(List.of("system", "info")).command().name()).isEqualTo("info");
        assertThat(g.resolve(List.of("volume", "ls")).tail()).isEmpty();
        assertThat(g.resolve(List.of("nothing"))).isNull();
    }

    @Test
    void anUnreachableDaemonIsOneLineSayingWhatToDo(@TempDir Path dir) {
        Run r = run(Map.of("GANTRY_HOST", "unix://" + dir.resolve("absent.sock"), "GANTRY_AUTOSTART", "0"), "ps");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("gantry: cannot connect to gantryd at unix://" + dir.resolve("absent.sock")).contains("GANTRY_HOST")
                .doesNotContain("\n\n");
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(run(Map.of("GANTRY_HOST", "unix://" + dir.resolve("absent.sock"), "GANTRY_AUTOSTART", "0"), "run", "img").code())
                .as("run reports a daemon error as 125").isEqualTo(125);
    }

    @Test
    void hostSelection() {
        assertThat(Session.socketFor(null, Map.of())).isEqualTo(Session.DEFAULT_SOCKET);
        assertThat(Session.socketFor(null, Map.of("DOCKER_HOST", "unix:///d.sock"))).isEqualTo(Path.of("/d.sock"));
        assertThat(Session.socketFor(null, Map.of("DOCKER_HOST", "unix:///d.sock", "GANTRY_HOST", "unix:///g.sock"))).isEqualTo(Path.of("/g.sock"));
        assertThat(Session.socketFor("/h.sock", Map.of("GANTRY_HOST", "unix:///g.sock"))).isEqualTo(Path.of("/h.sock"));
        assertThatThrownBy(() -> Session.socketFor("tcp://1.2.3.4:2375", Map.of())).isInstanceOf(UsageException.class).hasMessageContaining("unix://");
    }

    @Test
    void completionScriptsListCommandsAndFlags() {
        Run bash = run(Map.of(), "completion", "bash");
        assertThat(bash.code()).isZero();
        assertThat(bash.out()).contains("complete -F _gantry gantry").contains("--publish").contains("_gantry_containers");
        Run zsh = run(Map.of(), "completion", "zsh");
        assertThat(zsh.out()).startsWith("#compdef gantry").contains("compdef _gantry gantry").contains("'volume:Manage volumes'");
        assertThat(run(Map.of(), "completion", "fish").code()).isEqualTo(125);
    }
}
