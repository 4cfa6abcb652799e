package dev.gantry.engine;

import dev.gantry.testkit.TestFiles;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link Engine} for all the tests of a {@code @TestInstance(PER_CLASS)} class, handed to its
 * constructor: opened by an {@link EngineFixture} on a temporary root. After each test every
 * container is removed (a running one by force, with its volumes); after the class the engine is
 * closed and its root deleted, even when a test failed (JUnit's extension store closes it).
 */
final class ClassEngine implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClassEngine.class);

    private record Opened(Path root, Engine engine) implements AutoCloseable {
        @Override
        public void close() {
            try {
                engine.close();
            } finally {
                TestFiles.delete(root);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getDeclaringExecutable() instanceof Constructor<?> && parameter.getParameter().getType() == Engine.class;
    }

    @Override
    public Engine resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Opened opened = context.getStore(NAMESPACE).get(Opened.class, Opened.class);
        if (opened == null) {
            opened = open(context);
            context.getStore(NAMESPACE).put(Opened.class, opened);
        }
        return opened.engine();
    }

    private static Opened open(ExtensionContext context) {
        Path root = null;
        try {
            root = Files.createTempDirectory("gantry-engine-");
            return new Opened(root, new EngineFixture(root).open());
        } catch (Exception e) {
            if (root != null) {
                TestFiles.delete(root);
            }
            throw new ParameterResolutionException("opening the engine of " + context.getDisplayName(), e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Opened opened = context.getStore(NAMESPACE).get(Opened.class, Opened.class);
        if (opened != null) {
            for (Container c : opened.engine().list(true)) {
                opened.engine().remove(c.id(), true, true);
            }
        }
    }
}
