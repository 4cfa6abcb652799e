package dev.gantry.engine.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Whether the host's {@code filter FORWARD} chain may drop what containers send through their
 * bridge: its policy is not ACCEPT (dockerd leaves it DROP, so does ufw), or a rule in it drops or
 * rejects. Only then does a network's chain need the {@code firewall} plugin, whose ADD and DEL are
 * ten iptables runs each. Read with {@code iptables -S FORWARD} (a read, no rule is written); when
 * it cannot be read the answer is yes, so the firewall plugin runs as before.
 */
@FunctionalInterface
interface ForwardFilter {
    boolean mayDrop();

    /**
     * Asks {@code source} at most once per {@code maxAgeNanos} ({@code clock} in nanoseconds):
     * a run of starts does not pay an iptables run each, and a change of the policy is seen
     * within that time.
     */
    static ForwardFilter caching(ForwardFilter source, long maxAgeNanos, java.util.function.LongSupplier clock) {
        return new ForwardFilter() {
            private boolean answer;
            private long readAt;
            private boolean read;

            @Override
            public synchronized boolean mayDrop() {
                long now = clock.getAsLong();
                if (!read || now - readAt >= maxAgeNanos) {
                    answer = source.mayDrop();
                    readAt = now;
                    read = true;
                }
                return answer;
            }
        };
    }

    /** Asks iptables (the host's, from PATH, as the plugins run it). */
    static ForwardFilter iptables(Consumer<String> warn) {
        return () -> {
            try {
                Process p = new ProcessBuilder("iptables", "-S", "FORWARD").redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String rules = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    warn.accept("iptables -S FORWARD failed (exit " + p.exitValue() + "): containers get the firewall plugin");
                    return true;
                }
                return mayDrop(rules);
            } catch (IOException e) {
                warn.accept("iptables -S FORWARD: " + e.getMessage() + ": containers get the firewall plugin");
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        };
    }

    /** From the output of {@code iptables -S FORWARD}. */
    static boolean mayDrop(String rules) {
        boolean accepts = false;
        for (String line : rules.split("\n")) {
            String l = line.strip();
            if (l.equals("-P FORWARD ACCEPT")) {
                accepts = true;
            } else if (l.startsWith("-A FORWARD ") && (l.contains(" -j DROP") || l.contains(" -j REJECT"))) {
                return true;
            }
        }
        return !accepts;
    }
}
