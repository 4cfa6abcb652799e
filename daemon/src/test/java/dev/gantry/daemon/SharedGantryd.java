package dev.gantry.daemon;

import dev.gantry.testkit.ClassResource;
import dev.gantry.testkit.RequiresRoot;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A root test class whose tests share one gantryd, handed to its constructor as a
 * {@link GantrydProcess}: started {@link GantrydProcess#withBusybox with busybox imported} before
 * the first test; after the class's {@code @AfterAll} methods, even when a test failed, closed
 * with {@link GantrydProcess#closeCheckingLeaks a check that nothing is left}. The class runs
 * where the launcher and the docker CLI are built and installed (always under CI).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("dev.gantry.daemon.GantrydDockerCliTest#launcherBuilt")
@ExtendWith(SharedGantryd.Daemon.class)
@interface SharedGantryd {
    /** The extension behind the annotation. */
    final class Daemon extends ClassResource<GantrydProcess> {
        Daemon() {
            super(GantrydProcess.class, () -> GantrydProcess.withBusybox(Files.createTempDirectory("gantryd-it-"), List.of()),
                    GantrydProcess::closeCheckingLeaks);
        }
    }
}
