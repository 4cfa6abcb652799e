package dev.gantry.template;

import java.util.List;

/**
 * A value whose fields are computed: what Go calls a struct's fields and methods. {@code .ID}
 * calls {@code field("ID", [])}; {@code .Label "com.example"} calls
 * {@code field("Label", ["com.example"])}; in a pipeline, the previous stage's value is the last
 * argument. It prints through {@link Object#toString()}.
 */
public interface TemplateObject {
    /**
     * Returns the value of field or method {@code name} applied to {@code args} (empty for a plain
     * field). Throws {@link TemplateException} when there is no such field or the arguments do not
     * fit; the template reports it at the action that asked.
     */
    Object field(String name, List<Object> args);

    /**
     * What {@code json} encodes for this object: by default its {@code toString()} as a JSON
     * string. docker's {@code {{json .}}} on a {@code ps} row prints every field, so a row returns
     * a {@code Map} of them (its values may be template objects again).
     */
    default Object jsonValue() {
        return toString();
    }
}
