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
}
