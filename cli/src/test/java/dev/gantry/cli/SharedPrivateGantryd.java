package dev.gantry.cli;

import dev.gantry.testkit.ClassResource;
import dev.gantry.testkit.RequiresRoot;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A root test class whose tests share one {@link PrivateGantryd}, handed to its constructor:
 * started {@link PrivateGantryd#withBusybox with busybox imported} before the first test; after
 * the class's {@code @AfterAll} methods, even when a test failed, closed with
 * {@link PrivateGantryd#closeCheckingMounts a check that nothing stays mounted}. The class runs
 * where the launchers are built (always under CI).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("dev.gantry.cli.PrivateGantryd#launchersBuilt")
@ExtendWith(SharedPrivateGantryd.Daemon.class)
@interface SharedPrivateGantryd {
    /** The extension behind the annotation. */
    final class Daemon extends ClassResource<PrivateGantryd> {
        Daemon() {
            super(PrivateGantryd.class, PrivateGantryd::withBusybox, PrivateGantryd::closeCheckingMounts);
        }
    }
}
