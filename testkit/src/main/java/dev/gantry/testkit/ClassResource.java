package dev.gantry.testkit;

import java.lang.reflect.Constructor;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@code T} (a daemon, a server) for all the tests of a class: registered with
 * {@code @RegisterExtension static final} on a {@code @TestInstance(PER_CLASS)} class, it hands
 * the resource to the class's constructor, opening it then, and closes it when the class is done.
 * The closing rides on JUnit's extension store, which closes its {@link AutoCloseable} values
 * after the class's {@code @AfterAll} methods and even when a test, an {@code @AfterAll} method
 * or the class's own set-up failed; what the closer throws fails the class. A subclass with a
 * constructor without parameters can be named by {@code @ExtendWith}, in a composed annotation.
 *
 * @param <T> the resource's type, the type of the constructor parameter it is given to
 */
public class ClassResource<T> implements ParameterResolver {
    /** Opens the resource; on failure it must release what it had already made. */
    @FunctionalInterface
    public interface Opener<T> {
        T open() throws Exception;
    }

    /** Releases the resource (and may assert that nothing was left behind). */
    @FunctionalInterface
    public interface Closer<T> {
        void close(T resource) throws Exception;
    }

    /** A step that readies a resource just opened (imports an image into a daemon, say). */
    @FunctionalInterface
    public interface Step<T> {
        void run(T resource) throws Exception;
    }

    /**
     * Runs {@code step} on {@code resource}, just opened, and returns it; when the step fails,
     * closes the resource first (what closing throws is added as suppressed), so that an opener
     * built on it releases what it made, as {@link Opener} asks.
     */
    public static <R extends AutoCloseable> R prepared(R resource, Step<? super R> step) throws Exception {
        try {
            step.run(resource);
            return resource;
        } catch (Throwable e) {
            try {
                resource.close();
            } catch (Exception c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    private record Opened<T>(T resource, Closer<T> closer) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closer.close(resource);
        }
    }

    private final Class<T> type;
    private final Opener<T> opener;
    private final Closer<T> closer;

    public ClassResource(Class<T> type, Opener<T> opener, Closer<T> closer) {
        this.type = type;
        this.opener = opener;
        this.closer = closer;
    }

    @Override
    public final boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getDeclaringExecutable() instanceof Constructor<?> && parameter.getParameter().getType() == type;
    }

    @Override
    public final T resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(ExtensionContext.Namespace.create(ClassResource.class, this));
        Opened<?> opened = store.get(type, Opened.class);
        if (opened == null) {
            try {
                opened = new Opened<>(opener.open(), closer);
            } catch (Exception e) {
                throw new ParameterResolutionException("opening the " + type.getSimpleName() + " of " + context.getDisplayName(), e);
            }
            store.put(type, opened);
        }
        return type.cast(opened.resource());
    }
}
