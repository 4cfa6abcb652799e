package dev.gantry.daemon.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ContainerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageChangesTest {
    private static final ContainerConfig BASE = new ContainerConfig("nobody", Map.of("80/tcp", Map.of()), List.of("PATH=/bin", "A=1"),
            null, List.of("sh"), null, "/srv", Map.of("kept", "yes"), null, null, null, null, null);

    @Test
    void noChangesKeepTheConfig() {
        assertThat(ImageChanges.apply(BASE, List.of())).isSameAs(BASE);
        assertThat(ImageChanges.apply(BASE, null)).isSameAs(BASE);
    }

    @Test
    void exposeEnvLabelVolumeAndWorkdirAddToWhatTheImageHas() {
        ContainerConfig c = ImageChanges.apply(BASE, List.of("EXPOSE 8080/tcp 53/udp 9000", "ENV A=2 B=\"two words\"",
                "env C the rest is the value", "LABEL org.example=\"x y\" other=z", "VOLUME [\"/data\", \"/logs\"]", "VOLUME /cache",
                "WORKDIR app", "USER 1000:1000", "STOPSIGNAL SIGINT", "ONBUILD RUN true"));
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "8080/tcp", "53/udp", "9000/tcp");
        assertThat(c.env()).containsExactly("PATH=/bin", "A=2", "B=two words", "C=the rest is the value");
        assertThat(c.labels()).containsEntry("kept", "yes").containsEntry("org.example", "x y").containsEntry("other", "z");
        assertThat(c.volumes()).containsOnlyKeys("/data", "/logs", "/cache");
        assertThat(c.workingDir()).isEqualTo("/srv/app");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
        assertThat(c.onBuild()).containsExactly("RUN true");
        assertThat(BASE.env()).as("the base is not changed").containsExactly("PATH=/bin", "A=1");
    }

    @Test
    void commandsTakeTheExecOrTheShellForm() {
        ContainerConfig c = ImageChanges.apply(BASE, List.of("CMD [\"httpd\", \"-f\"]"));
        assertThat(c.cmd()).containsExactly("httpd", "-f");
        c = ImageChanges.apply(BASE, List.of("CMD echo hi && sleep 1"));
        assertThat(c.cmd()).containsExactly("/bin/sh", "-c", "echo hi && sleep 1");
        // An ENTRYPOINT drops the inherited command, not one set alongside it.
        assertThat(ImageChanges.apply(BASE, List.of("ENTRYPOINT [\"/init\"]")).cmd()).isNull();
        c = ImageChanges.apply(BASE, List.of("CMD [\"x\"]", "ENTRYPOINT [\"/init\"]"));
        assertThat(c.entrypoint()).containsExactly("/init");
        assertThat(c.cmd()).containsExactly("x");
    }

    @Test
    void aHealthcheckTakesGoDurations() {
        ContainerConfig c = ImageChanges.apply(BASE, List.of("HEALTHCHECK --interval=1m30s --timeout=500ms --retries=3 CMD wget -q localhost"));
        assertThat(c.healthcheck().test()).containsExactly("CMD-SHELL", "wget -q localhost");
        assertThat(c.healthcheck().interval()).isEqualTo(90_000_000_000L);
        assertThat(c.healthcheck().timeout()).isEqualTo(500_000_000L);
        assertThat(c.healthcheck().retries()).isEqualTo(3);
        assertThat(ImageChanges.apply(BASE, List.of("HEALTHCHECK NONE")).healthcheck().test()).containsExactly("NONE");
    }

    @Test
    void badChangesNameTheirFault() {
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("RUN true"))).isInstanceOf(GantryException.class)
                .hasMessageContaining("RUN is not a valid change command");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("EXPOSE 70000"))).hasMessageContaining("EXPOSE port 70000");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("EXPOSE 80/icmp"))).hasMessageContaining("protocol icmp");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("CMD [\"a\", 1"))).hasMessageContaining("not a JSON array");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("ENV A=\"open"))).hasMessageContaining("unterminated quote");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("HEALTHCHECK --interval=soon CMD true")))
                .hasMessageContaining("duration soon");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("USER"))).hasMessageContaining("USER needs an argument");
    }

    @Test
    void aVolumeMustBeAnAbsolutePath() {
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("VOLUME [\"\"]"))).isInstanceOf(GantryException.class)
                .hasMessageContaining("VOLUME specified can not be an empty string");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("VOLUME [\"/data\", \" \"]")))
                .hasMessageContaining("VOLUME specified can not be an empty string");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("VOLUME []"))).hasMessageContaining("VOLUME requires at least one argument");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("VOLUME data"))).hasMessageContaining("VOLUME data is not an absolute path");
        assertThat(ImageChanges.apply(BASE, List.of("VOLUME [\" /data \"]")).volumes()).containsOnlyKeys("/data");
    }

    @Test
    void aWorkdirIsCleanedAndARelativeOneFollowsThePreviousOne() {
        assertThat(workdir(BASE, "WORKDIR /a//b/./c/../d/")).isEqualTo("/a/b/d");
        assertThat(workdir(BASE, "WORKDIR ../x/")).isEqualTo("/x");
        assertThat(workdir(BASE, "WORKDIR ../../..")).isEqualTo("/");
        assertThat(workdir(BASE, "WORKDIR .")).isEqualTo("/srv");
        assertThat(workdir(BASE, "WORKDIR \"/with space\"")).isEqualTo("/with space");
        assertThat(ImageChanges.apply(BASE, List.of("WORKDIR /a", "WORKDIR b", "WORKDIR c")).workingDir()).isEqualTo("/a/b/c");
        ContainerConfig none = new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(workdir(none, "WORKDIR app")).isEqualTo("/app");
    }

    private static String workdir(ContainerConfig base, String change) {
        return ImageChanges.apply(base, List.of(change)).workingDir();
    }

    @Test
    void aStopSignalIsANameWithOrWithoutSigOrANumber() {
        for (String signal : List.of("SIGINT", "TERM", "sigquit", "9", "SIGRTMIN+3", "RTMAX")) {
            assertThat(ImageChanges.apply(BASE, List.of("STOPSIGNAL " + signal)).stopSignal()).isEqualTo(signal);
        }
        for (String signal : List.of("SIGFOO", "0", "65", "-9", "TERM9")) {
            assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("STOPSIGNAL " + signal))).isInstanceOf(GantryException.class)
                    .hasMessageContaining("STOPSIGNAL").hasMessageContaining(signal);
        }
    }

    @Test
    void labelAndEnvPairsTakeQuotedKeysAndValues() {
        ContainerConfig c = ImageChanges.apply(BASE, List.of("LABEL \"a b\"=c 'd'=\"e f\" g=h\\ i", "ENV X=\"x y\" Y=z",
                "ENV LEGACY \"quoted\" and  spaced", "ENV Q=\"a\\\"b\\n\" R='c\\d'"));
        assertThat(c.labels()).containsEntry("a b", "c").containsEntry("d", "e f").containsEntry("g", "h i");
        assertThat(c.env()).contains("X=x y", "Y=z", "LEGACY=quoted and  spaced", "Q=a\"b\\n", "R=c\\d");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("ENV A=1 B"))).hasMessageContaining("B is not key=value");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("LABEL =v"))).hasMessageContaining("names can not be blank");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("ENV LONELY"))).hasMessageContaining("ENV LONELY has no value");
    }

    @Test
    void exposeTakesPortRanges() {
        ContainerConfig c = ImageChanges.apply(BASE, List.of("EXPOSE 8000-8003 53-54/udp"));
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "8000/tcp", "8001/tcp", "8002/tcp", "8003/tcp", "53/udp", "54/udp");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("EXPOSE 9000-8000"))).hasMessageContaining("EXPOSE port range 9000-8000");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("EXPOSE 8000-"))).hasMessageContaining("EXPOSE port");
    }

    @Test
    void healthcheckDurationsAreGosCaseSensitiveOnesAndZeroMeansTheDefault() {
        ContainerConfig c = ImageChanges.apply(BASE, List.of("HEALTHCHECK --interval=0 --timeout=1.5s --start-period=0s --start-interval=2h45m.5s CMD true"));
        assertThat(c.healthcheck().interval()).as("0: inherit, as Docker").isNull();
        assertThat(c.healthcheck().timeout()).isEqualTo(1_500_000_000L);
        assertThat(c.healthcheck().startPeriod()).isNull();
        assertThat(c.healthcheck().startInterval()).isEqualTo((2 * 3600 + 45 * 60) * 1_000_000_000L + 500_000_000L);
        assertThat(ImageChanges.apply(BASE, List.of("HEALTHCHECK --interval=1500us CMD true")).healthcheck().interval())
                .isEqualTo(1_500_000L);
        for (String bad : List.of("1S", "1M", "10", "s", ".s", "1.2.3s", "1d", "+")) {
            assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("HEALTHCHECK --interval=" + bad + " CMD true")))
                    .as(bad).hasMessageContaining("duration");
        }
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("HEALTHCHECK --timeout=500us CMD true")))
                .hasMessageContaining("--timeout cannot be less than 1ms");
        assertThatThrownBy(() -> ImageChanges.apply(BASE, List.of("HEALTHCHECK --timeout=-2s CMD true")))
                .hasMessageContaining("--timeout cannot be less than 1ms");
    }
}
