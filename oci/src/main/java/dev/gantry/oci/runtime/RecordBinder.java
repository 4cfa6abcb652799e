package dev.gantry.oci.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds {@link JsonTree} trees to records and writes records as JSON, with the rules the
 * OCI documents need and nothing more:
 * <ul>
 *   <li>a record is a JSON object whose keys are the component names, or the name given by
 *       {@link JsonProperty} on the component; unknown keys are ignored (newer specs and
 *       vendor extensions must not break us) and absent or {@code null} values read as
 *       {@code null} (or zero/false for a primitive component);</li>
 *   <li>{@code String}, {@code Boolean}, {@code Integer}, {@code Long}, {@code Double},
 *       {@code List<T>}, {@code Map<String, T>}, {@code Object} (the raw tree) and enums
 *       (through a static {@link JsonCreator} factory and a {@link JsonValue} method, or by
 *       name); types are strict as in Go's decoder: no string for a number, no fraction for
 *       an integer;</li>
 *   <li>a {@link Uint64} component holds the unsigned bit pattern of a JSON integer in
 *       [0, 2^64-1] and is written back unsigned;</li>
 *   <li>writing omits {@code null} components and {@code null} map values, in component
 *       order.</li>
 * </ul>
 * A value that does not fit is INVALID_ARGUMENT naming the source and the JSON path:
 * {@code config.json: process.rlimits[0].hard: must be an unsigned 64-bit integer}.
 */
public final class RecordBinder {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private RecordBinder() {
    }

    /** Binds {@code tree} to {@code type}; errors start with {@code source}. */
    public static <T> T bind(Object tree, Class<T> type, String source) {
        return type.cast(new Binding(source).value(tree, type, false, new StringBuilder()));
    }

    /** One record type's components, looked up once per class. */
    private record Shape(Constructor<?> constructor, Component[] components) {
        static final ClassValue<Shape> CACHE = new ClassValue<>() {
            @Override
            protected Shape computeValue(Class<?> type) {
                RecordComponent[] rcs = type.getRecordComponents();
                Class<?>[] types = new Class<?>[rcs.length];
                Component[] components = new Component[rcs.length];
                for (int i = 0; i < rcs.length; i++) {
                    Method accessor = rcs[i].getAccessor();
                    accessor.setAccessible(true);
                    JsonProperty renamed = accessor.getAnnotation(JsonProperty.class);
                    String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : rcs[i].getName();
                    types[i] = rcs[i].getType();
                    components[i] = new Component(name, rcs[i].getGenericType(), rcs[i].getType(),
                            accessor.isAnnotationPresent(Uint64.class), accessor);
                }
                try {
                    Constructor<?> canonical = type.getDeclaredConstructor(types);
                    canonical.setAccessible(true);
                    return new Shape(canonical, components);
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException(type + " has no canonical constructor", e);
                }
            }
        };
    }

    private record Component(String name, Type type, Class<?> raw, boolean uint64, Method accessor) {
    }

    private record Binding(String source) {
        Object value(Object tree, Type type, boolean uint64, StringBuilder path) {
            Class<?> raw = rawClass(type);
            if (tree == null) {
                return raw.isPrimitive() ? zero(raw) : null;
            }
            if (raw == Object.class) {
                return tree;
            }
            if (raw == String.class) {
                if (tree instanceof String s) return s;
                throw fail(path, "must be a string, got " + describe(tree));
            }
            if (raw == Boolean.class || raw == boolean.class) {
                if (tree instanceof Boolean b) return b;
                throw fail(path, "must be true or false, got " + describe(tree));
            }
            if (raw == Integer.class || raw == int.class) {
                long v = integer(tree, path);
                if (v != (int) v) throw fail(path, "must be a 32-bit integer, got " + v);
                return (int) v;
            }
            if (raw == Long.class || raw == long.class) {
                return uint64 ? unsigned(tree, path) : integer(tree, path);
            }
            if (raw == Double.class || raw == double.class) {
                if (tree instanceof Number n) return n.doubleValue();
                throw fail(path, "must be a number, got " + describe(tree));
            }
            if (raw.isEnum()) {
                return enumValue(raw, tree, path);
            }
            if (raw == List.class || raw == Collection.class) {
                if (!(tree instanceof List<?> list)) throw fail(path, "must be an array, got " + describe(tree));
                Type element = typeArgument(type, 0);
                List<Object> out = new ArrayList<>(list.size());
                int mark = path.length();
                for (int i = 0; i < list.size(); i++) {
                    path.append('[').append(i).append(']');
                    out.add(value(list.get(i), element, uint64, path));
                    path.setLength(mark);
                }
                return Collections.unmodifiableList(out);
            }
            if (raw == Map.class) {
                if (!(tree instanceof Map<?, ?> map)) throw fail(path, "must be an object, got " + describe(tree));
                Type element = typeArgument(type, 1);
                Map<String, Object> out = new LinkedHashMap<>();
                int mark = path.length();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    appendField(path, (String) e.getKey());
                    out.put((String) e.getKey(), value(e.getValue(), element, uint64, path));
                    path.setLength(mark);
                }
                return Collections.unmodifiableMap(out);
            }
            if (raw.isRecord()) {
                if (!(tree instanceof Map<?, ?> map)) throw fail(path, "must be an object, got " + describe(tree));
                return record(raw, map, path);
            }
            throw new IllegalStateException("RecordBinder cannot bind " + type);
        }

        private Object record(Class<?> type, Map<?, ?> map, StringBuilder path) {
            Shape shape = Shape.CACHE.get(type);
            Object[] args = new Object[shape.components.length];
            int mark = path.length();
            for (int i = 0; i < args.length; i++) {
                Component c = shape.components[i];
                appendField(path, c.name);
                args[i] = value(map.get(c.name), c.type, c.uint64, path);
                path.setLength(mark);
            }
            try {
                return shape.constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                // A record's own check (a compact constructor) refused the values.
                throw fail(path, e.getCause() == null ? "invalid value" : JsonTree.firstLine(e.getCause().getMessage()));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot construct " + type, e);
            }
        }

        private Object enumValue(Class<?> type, Object tree, StringBuilder path) {
            if (!(tree instanceof String s)) throw fail(path, "must be a string, got " + describe(tree));
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isStatic(m.getModifiers()) && m.isAnnotationPresent(JsonCreator.class)
                        && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class) {
                    try {
                        return m.invoke(null, s);
                    } catch (InvocationTargetException e) {
                        throw fail(path, e.getCause() == null ? "invalid value" : JsonTree.firstLine(e.getCause().getMessage()));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot call " + m, e);
                    }
                }
            }
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(s)) return constant;
            }
            throw fail(path, "unknown value \"" + s + "\"");
        }

        private long integer(Object tree, StringBuilder path) {
            if (tree instanceof Long l) return l;
            if (tree instanceof BigInteger b) throw fail(path, "must be a 64-bit integer, got " + b);
            throw fail(path, "must be an integer, got " + describe(tree));
        }

        private long unsigned(Object tree, StringBuilder path) {
            BigInteger v = tree instanceof Long l ? BigInteger.valueOf(l) : tree instanceof BigInteger b ? b : null;
            if (v == null || v.signum() < 0 || v.compareTo(UINT64_MAX) > 0) {
                throw fail(path, "must be an unsigned 64-bit integer, got " + describe(tree));
            }
            return v.longValue();
        }

        private GantryException fail(StringBuilder path, String message) {
            return new GantryException(ErrorKind.INVALID_ARGUMENT,
                    source + ": " + (path.isEmpty() ? "(document)" : path) + ": " + message);
        }
    }

    private static void appendField(StringBuilder path, String name) {
        if (!path.isEmpty()) path.append('.');
        path.append(name);
    }

    private static String describe(Object tree) {
        return switch (tree) {
            case String s -> "\"" + s + "\"";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            default -> String.valueOf(tree);
        };
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) return c;
        if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        throw new IllegalStateException("RecordBinder cannot bind " + type);
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    private static Object zero(Class<?> primitive) {
        if (primitive == boolean.class) return false;
        if (primitive == int.class) return 0;
        if (primitive == long.class) return 0L;
        if (primitive == double.class) return 0.0;
        throw new IllegalStateException("RecordBinder cannot bind " + primitive);
    }

    /** Writes a tree, a record or a list/map of them; see the class comment for the rules. */
    static void write(JsonGenerator g, Object value) throws IOException {
        write(g, value, false);
    }

    private static void write(JsonGenerator g, Object value, boolean uint64) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Long l when uint64 && l < 0 -> g.writeNumber(new BigInteger(Long.toUnsignedString(l)));
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case BigInteger b -> g.writeNumber(b);
            case BigDecimal d -> g.writeNumber(d);
            case Double d -> g.writeNumber(d);
            case Enum<?> e -> g.writeString(enumWire(e));
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getValue() != null) {
                        g.writeFieldName(String.valueOf(e.getKey()));
                        write(g, e.getValue(), uint64);
                    }
                }
                g.writeEndObject();
            }
            case Collection<?> list -> {
                g.writeStartArray();
                for (Object e : list) {
                    write(g, e, uint64);
                }
                g.writeEndArray();
            }
            case Record r -> {
                g.writeStartObject();
                for (Component c : Shape.CACHE.get(r.getClass()).components) {
                    Object v;
                    try {
                        v = c.accessor.invoke(r);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read " + c.accessor, e);
                    }
                    if (v != null) {
                        g.writeFieldName(c.name);
                        write(g, v, c.uint64);
                    }
                }
                g.writeEndObject();
            }
            default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    private static String enumWire(Enum<?> e) {
        for (Method m : e.getDeclaringClass().getDeclaredMethods()) {
            if (m.isAnnotationPresent(JsonValue.class) && m.getParameterCount() == 0) {
                try {
                    return String.valueOf(m.invoke(e));
                } catch (ReflectiveOperationException x) {
                    throw new IllegalStateException("cannot call " + m, x);
                }
            }
        }
        return e.name();
    }
}
