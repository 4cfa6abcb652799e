package dev.gantry.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs an effective uid of 0 (namespaces, mounts, cgroups).
 * Without root it is skipped, except when the environment says {@code CI=true}: CI runs as
 * root, so a skip there would hide a whole tier and the test fails instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RootExtension.class)
public @interface RequiresRoot {
}
