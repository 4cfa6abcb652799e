package dev.gantry.sys;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A fake kernel for unit tests of the logic above {@link Syscalls}: it records every call
 * (name and arguments) and answers from scripted functions, or with a neutral value (0,
 * false, null, an empty list) for calls a test did not script. Injected through the same
 * constructors as {@link LinuxSyscalls}; nothing switches to it by itself.
 */
public final class RecordingSyscalls {
    /** One recorded call. */
    public record Call(String name, List<Object> args) {
        @Override
        public String toString() {
            return name + args;
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Function<Object[], Object>> answers = new HashMap<>();
    private final Syscalls proxy = (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(),
            new Class<?>[] {Syscalls.class}, (self, method, args) -> {
                Object[] a = args == null ? new Object[0] : args;
                synchronized (calls) {
                    calls.add(new Call(method.getName(), Arrays.asList(a)));
                }
                Function<Object[], Object> answer = answers.get(method.getName());
                if (answer != null) {
                    return answer.apply(a);
                }
                return neutral(method.getReturnType());
            });

    /** Scripts the answer to every call of the named method. */
    public RecordingSyscalls answer(String method, Function<Object[], Object> answer) {
        answers.put(method, answer);
        return this;
    }

    /** The fake, to inject. */
    public Syscalls syscalls() {
        return proxy;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The names of the recorded calls, in order. */
    public List<String> names() {
        return calls().stream().map(Call::name).toList();
    }

    private static Object neutral(Class<?> type) {
        if (type == int.class) {
            return 0;
        } else if (type == long.class) {
            return 0L;
        } else if (type == boolean.class) {
            return false;
        } else if (type == short.class) {
            return (short) 0;
        } else if (type == List.class) {
            return List.of();
        }
        return null;
    }
}
