package dev.gantry.cli;

import dev.gantry.template.TemplateException;
import dev.gantry.template.TemplateObject;
import java.util.List;
import java.util.Map;

/**
 * One line of a listing (ps, images, volume ls…) as docker's formatter offers it to
 * {@code --format}: string fields by name ({@code .ID}, {@code .Names}, {@code .RunningFor}) and
 * {@code .Label "key"} for one label. {@code {{json .}}} prints {@link #fields}.
 */
public record Row(Map<String, Object> fields, Map<String, String> labels) implements TemplateObject {

    public String get(String name) {
        Object v = fields.get(name);
        return v == null ? "" : v.toString();
    }

    @Override
    public Object field(String name, List<Object> args) {
        if (name.equals("Label") && args.size() == 1) {
            return labels.getOrDefault(String.valueOf(args.getFirst()), "");
        }
        if (!fields.containsKey(name)) {
            throw new TemplateException("can't evaluate field " + name + ": the fields are " + String.join(", ", fields.keySet()));
        }
        return fields.get(name);
    }
}
