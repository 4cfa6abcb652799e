package dev.gantry.runtime.plan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of a plan: an operation and its encoded arguments. Arguments are typed at
 * construction ({@link Arg}) so that tests can read a plan back as text.
 */
public record Step(Op op, List<Arg> args) {
    public Step {
        args = List.copyOf(args);
    }

    /** An argument as the helper reads it. */
    public sealed interface Arg {
        byte[] bytes();
    }

    /** A NUL-terminated string. */
    public record Str(String value) implements Arg {
        public Str {
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("string contains NUL: " + value);
            }
        }

        @Override
        public byte[] bytes() {
            byte[] s = value.getBytes(StandardCharsets.UTF_8);
            return Arrays.copyOf(s, s.length + 1);
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    /** An unsigned 64-bit integer. */
    public record U64(long value) implements Arg {
        @Override
        public byte[] bytes() {
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        }

        @Override
        public String toString() {
            return Long.toUnsignedString(value);
        }
    }

    /** A list of strings, NUL-separated. */
    public record StrList(List<String> values) implements Arg {
        public StrList {
            values = List.copyOf(values);
        }

        @Override
        public byte[] bytes() {
            var out = new java.io.ByteArrayOutputStream();
            for (String v : values) {
                out.writeBytes(new Str(v).bytes());
            }
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }

    /** A list of u64 values. */
    public record U64List(List<Long> values) implements Arg {
        public U64List {
            values = List.copyOf(values);
        }

        @Override
        public byte[] bytes() {
            ByteBuffer b = ByteBuffer.allocate(8 * values.size()).order(ByteOrder.LITTLE_ENDIAN);
            values.forEach(b::putLong);
            return b.array();
        }

        @Override
        public String toString() {
            return values.toString();
        }
    }

    /** Raw bytes (a BPF program, a file's new content). */
    public record Bytes(byte[] value) implements Arg {
        @Override
        public byte[] bytes() {
            return value.clone();
        }

        @Override
        public String toString() {
            return "<" + value.length + " bytes>";
        }
    }

    public static Step of(Op op, Object... args) {
        List<Arg> list = new ArrayList<>(args.length);
        for (Object a : args) {
            list.add(switch (a) {
                case Arg arg -> arg;
                case String s -> new Str(s);
                case Long l -> new U64(l);
                case Integer i -> new U64(i);
                case Boolean b -> new U64(b ? 1 : 0);
                case byte[] bytes -> new Bytes(bytes);
                default -> throw new IllegalArgumentException("unsupported step argument " + a);
            });
        }
        return new Step(op, list);
    }

    @Override
    public String toString() {
        return op + args.stream().map(Object::toString).collect(Collectors.joining(" ", " ", ""));
    }
}
