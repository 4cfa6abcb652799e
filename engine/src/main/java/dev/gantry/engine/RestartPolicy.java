package dev.gantry.engine;

import dev.gantry.base.GantryException;

/**
 * When the engine starts a container again after its process exits (Docker's
 * {@code HostConfig.RestartPolicy}): never ({@code no}), after a non-zero exit
 * ({@code on-failure}, at most {@code maximumRetryCount} times when positive), after any exit
 * ({@code always}), or after any exit unless a user stopped it ({@code unless-stopped}). An
 * explicit stop, kill-then-exit through {@code stop}, or remove never restarts. The engine
 * waits 100 ms before the first restart and doubles the delay each time, resetting it once
 * the container has run for 10 s.
 */
public record RestartPolicy(Name name, int maximumRetryCount) {

    public enum Name {
        NO("no"), ON_FAILURE("on-failure"), ALWAYS("always"), UNLESS_STOPPED("unless-stopped");

        private final String wire;

        Name(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public static final RestartPolicy NO = new RestartPolicy(Name.NO, 0);

    public RestartPolicy {
        if (name == null) {
            name = Name.NO;
        }
        if (maximumRetryCount < 0) {
            throw GantryException.invalid("HostConfig.RestartPolicy.MaximumRetryCount: must not be negative");
        }
        if (maximumRetryCount > 0 && name != Name.ON_FAILURE) {
            throw GantryException.invalid("HostConfig.RestartPolicy.MaximumRetryCount: only on-failure takes a retry count");
        }
    }

    /** Parses Docker's wire form: "", "no", "always", "unless-stopped", "on-failure", "on-failure:N". */
    public static RestartPolicy parse(String text) {
        if (text == null || text.isEmpty() || text.equals("no")) {
            return NO;
        }
        String[] parts = text.split(":", 2);
        for (Name n : Name.values()) {
            if (n.wire.equals(parts[0])) {
                int max = 0;
                if (parts.length == 2) {
                    try {
                        max = Integer.parseInt(parts[1]);
                    } catch (NumberFormatException e) {
                        throw GantryException.invalid("HostConfig.RestartPolicy: bad retry count in \"" + text + "\"");
                    }
                }
                return new RestartPolicy(n, max);
            }
        }
        throw GantryException.invalid("HostConfig.RestartPolicy: unknown policy \"" + text + "\"");
    }

    public static RestartPolicy onFailure(int maximumRetryCount) {
        return new RestartPolicy(Name.ON_FAILURE, maximumRetryCount);
    }

    /**
     * Whether a container whose process ended with {@code exitCode} after {@code restartCount}
     * restarts is started again; {@code stoppedByUser} is true after stop, kill through the
     * API counts as an exit like any other (as in Docker).
     */
    /**
     * Whether the engine, when it starts, starts again a container that was started before and
     * does not run now, as Docker documents it (docs.docker.com, "Start containers
     * automatically"): {@code always} even after the user stopped it, the others as after an
     * exit ({@link #shouldRestart}) — so {@code on-failure} only after a failure and within its
     * retry count, {@code unless-stopped} not after the user's stop.
     */
    public boolean restartsOnEngineStart(int exitCode, int restartCount, boolean stoppedByUser) {
        return name == Name.ALWAYS || shouldRestart(exitCode, restartCount, stoppedByUser);
    }

    public boolean shouldRestart(int exitCode, int restartCount, boolean stoppedByUser) {
        if (stoppedByUser) {
            return false;
        }
        return switch (name) {
            case NO -> false;
            case ALWAYS, UNLESS_STOPPED -> true;
            case ON_FAILURE -> exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
        };
    }
}
