package dev.gantry.template;

import java.util.List;

/**
 * A function a caller adds to the template language, called as {@code {{name arg1 arg2}}} or as a
 * pipeline stage (the previous value is the last argument). Missing values arrive as {@code null}.
 * Throw {@link TemplateException} for bad arguments; any other runtime exception is reported as
 * {@code error calling name: message}.
 */
@FunctionalInterface
public interface TemplateFunction {
    Object apply(List<Object> args);
}
