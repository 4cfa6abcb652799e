package dev.gantry.engine.runtimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.sys.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimesTest {
    @TempDir
    Path tmp;

    private ExternalRuntime runc(String name) {
        return new ExternalRuntime(new RecordingSyscalls().syscalls(), name, Path.of("/bin/true"), List.of(), tmp.resolve(name), () -> {
            throw new AssertionError("cgroups are not read here");
        });
    }

    @Test
    void emptyOrNullNamesTheDefaultAndAnUnknownNameIsInvalid() {
        Runtimes r = new Runtimes(List.of(runc("runc"), runc("crun")), "crun");
        assertThat(r.get(null).name()).isEqualTo("crun");
        assertThat(r.get("").name()).isEqualTo("crun");
        assertThat(r.get("runc").name()).isEqualTo("runc");
        assertThat(r.get("runc").path()).contains(Path.of("/bin/true"));
        assertThatThrownBy(() -> r.get("kata"))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("unknown runtime \"kata\"").hasMessageContaining("runc, crun");
    }

    @Test
    void aDefaultThatIsNotThereAndADuplicateNameAreRefused() {
        assertThatThrownBy(() -> new Runtimes(List.of(runc("runc")), "crun")).hasMessageContaining("default runtime \"crun\"");
        assertThatThrownBy(() -> new Runtimes(List.of(runc("runc"), runc("runc")), "runc")).hasMessageContaining("given twice");
    }

    @Test
    void anExternalRuntimeNeedsAnAbsoluteExecutable() {
        assertThatThrownBy(() -> new ExternalRuntime(new RecordingSyscalls().syscalls(), "x", Path.of("runc"), List.of(), tmp, () -> null))
                .hasMessageContaining("not an executable file");
        assertThatThrownBy(() -> new ExternalRuntime(new RecordingSyscalls().syscalls(), "x", tmp.resolve("missing"), List.of(), tmp, () -> null))
                .hasMessageContaining("not an executable file");
    }

    @Test
    void runcMessagesMapToErrorKinds() {
        assertThat(RuntimeCli.kindOf("container does not exist")).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(RuntimeCli.kindOf("runc create failed: unable to start container process: exec: \"x\": executable file not found in $PATH"))
                .isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(RuntimeCli.kindOf("container not running")).isEqualTo(ErrorKind.CONFLICT);
        assertThat(RuntimeCli.kindOf("exec: \"/etc\": permission denied")).isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(RuntimeCli.kindOf("something else broke")).isEqualTo(ErrorKind.UNAVAILABLE);
    }

    @Test
    void theLastErrorOfAJsonLogIsTheMessage() throws Exception {
        Path log = tmp.resolve("call.log");
        Files.writeString(log, """
                {"level":"warning","msg":"a warning","time":"2026-01-01T00:00:00Z"}
                {"level":"error","msg":"first error","time":"2026-01-01T00:00:00Z"}
                {"level":"error","msg":"container does not exist","time":"2026-01-01T00:00:00Z"}
                """);
        assertThat(RuntimeCli.lastError(log)).isEqualTo("container does not exist");
        assertThat(RuntimeCli.lastError(tmp.resolve("absent.log"))).isEmpty();
    }

    @Test
    void aFailingRuntimeCallReportsTheRuntimeAndStatus() {
        ExternalRuntime failing = new ExternalRuntime(new RecordingSyscalls().syscalls(), "false", Path.of("/bin/false"), List.of(),
                tmp.resolve("false"), () -> null);
        assertThatThrownBy(() -> failing.start("abc"))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                .hasMessage("false start: exit status 1");
    }
}
