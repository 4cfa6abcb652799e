package dev.gantry.cli;

import static dev.gantry.cli.PrivateGantryd.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same sequence of commands through {@code gantry} and through the docker CLI against one
 * gantryd: after every step both containers are in the same state, as the docker CLI's own
 * {@code inspect} reports it, and both CLIs exit with the same codes.
 */
@SharedPrivateGantryd
class SideBySideTest {
    private static final String STATE = "{{.State.Status}} running={{.State.Running}} paused={{.State.Paused}} exit={{.State.ExitCode}}"
            + " restarts={{.RestartCount}} tty={{.Config.Tty}} env={{range .Config.Env}}{{.}};{{end}} user={{.Config.User}}"
            + " workdir={{.Config.WorkingDir}} net={{.HostConfig.NetworkMode}} mem={{.HostConfig.Memory}} init={{.HostConfig.Init}}"
            + " labels={{.Config.Labels}} cmd={{.Config.Cmd}}";

    private final PrivateGantryd d;

    SideBySideTest(PrivateGantryd d) {
        this.d = d;
    }

    /** Runs the sequence through {@code cli} on container {@code name}; returns one line per step: exit code and state. */
    private List<String> sequence(String cli, String name) throws Exception {
        List<String> states = new ArrayList<>();
        List<List<String>> steps = List.of(
                List.of("create", "--name", name, "-e", "A=1", "-u", "0:0", "-w", "/tmp", "--memory", "32m", "--init", "--label", "k=v",
                        "--network", "none", IMAGE, "sh", "-c", "trap 'exit 3' TERM; while true; do sleep 0.1; done"),
                List.of("start", name), List.of("pause", name), List.of("unpause", name), List.of("stop", "-t", "5", name),
                List.of("start", name), List.of("restart", "-t", "5", name), List.of("kill", "-s", "KILL", name),
                List.of("start", name), List.of("kill", name), List.of("wait", name), List.of("start", "nonexistent-" + name),
                List.of("rename", name, name + "-r"), List.of("rm", name + "-r"));
        for (List<String> step : steps) {
            var r = d.run(cli, java.util.Map.of(), null, step.toArray(String[]::new));
            String target = step.getFirst().equals("rename") || step.getFirst().equals("rm") ? name + "-r" : name;
            var inspect = d.docker("inspect", "--format", STATE, target);
            states.add(step.getFirst() + " exit=" + r.code() + " -> " + (inspect.code() == 0 ? inspect.out().strip() : "gone"));
        }
        var run = d.run(cli, java.util.Map.of(), null, "run", "--rm", IMAGE, "sh", "-c", "exit 9");
        states.add("run --rm exit=" + run.code());
        return states;
    }

    @Test
    void gantryAndDockerLeaveTheSameStates() throws Exception {
        List<String> viaGantry = sequence(PrivateGantryd.GANTRY, "sbs");
        List<String> viaDocker = sequence(PrivateGantryd.DOCKER, "sbs");
        assertThat(viaGantry).hasSize(15);
        assertThat(viaGantry.getFirst()).contains("created").contains("env=A=1;").contains("mem=33554432").contains("init=true");
        assertThat(viaGantry.get(4)).startsWith("stop exit=0 -> exited").contains("exit=3");
        assertThat(viaGantry).containsExactlyElementsOf(viaDocker);
        assertThat(d.ok("ps", "-aq")).isBlank();
    }
}
