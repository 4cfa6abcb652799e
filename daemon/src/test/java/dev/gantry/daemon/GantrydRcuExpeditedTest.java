package dev.gantry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * gantryd turns the kernel's rcu_expedited switch on at start (see {@link RcuExpedited}), and
 * leaves it alone when told to. The host's value is put back afterwards.
 */
@RequiresRoot
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
class GantrydRcuExpeditedTest {
    @Test
    void gantrydTurnsTheSwitchOnUnlessToldNotTo() throws Exception {
        Path knob = RcuExpedited.KNOB;
        String before = Files.readString(knob);
        try {
            Files.writeString(knob, "0\n");
            try (var d = new GantrydProcess(GantrydProcess.launcher(), Files.createTempDirectory("gantryd-rcu-"),
                    List.of("--rcu-expedited=false"))) {
                assertThat(Files.readString(knob).strip()).as("with --rcu-expedited=false").isEqualTo("0");
            }
            try (var d = new GantrydProcess(GantrydProcess.launcher(), Files.createTempDirectory("gantryd-rcu-"), List.of())) {
                assertThat(Files.readString(knob).strip()).as("by default").isEqualTo("1");
                assertThat(Files.readString(d.dir.resolve("gantryd.log"))).contains("set " + knob + " to 1");
            }
        } finally {
            Files.writeString(knob, before);
        }
    }
}
