package dev.gantry.engine;

import dev.gantry.base.GantryException;
import dev.gantry.oci.image.ContainerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A container's health check ({@code Config.Healthcheck}; Dockerfile HEALTHCHECK). {@code test}
 * is {@code ["NONE"]} (no check, even the image's), {@code ["CMD", arg...]} (run as is) or
 * {@code ["CMD-SHELL", command]} (run by {@code /bin/sh -c}); an empty test inherits the
 * image's. Durations are nanoseconds and 0 means "not set": the image's value, else Docker's
 * default (interval and timeout 30 s, start period 0, 3 retries).
 *
 * @param retries consecutive failures (after the start period) that make the container unhealthy
 */
public record Healthcheck(List<String> test, long intervalNanos, long timeoutNanos, long startPeriodNanos, int retries) {
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int DEFAULT_RETRIES = 3;
    private static final long MIN_NANOS = 1_000_000;

    public Healthcheck {
        test = test == null ? List.of() : List.copyOf(test);
        if (!test.isEmpty() && !List.of("NONE", "CMD", "CMD-SHELL").contains(test.getFirst())) {
            throw GantryException.invalid("Healthcheck.Test: must start with NONE, CMD or CMD-SHELL, not \"" + test.getFirst() + "\"");
        }
        if (test.size() == 1 && !test.getFirst().equals("NONE")) {
            throw GantryException.invalid("Healthcheck.Test: " + test.getFirst() + " needs a command");
        }
        check("Interval", intervalNanos);
        check("Timeout", timeoutNanos);
        check("StartPeriod", startPeriodNanos);
        if (retries < 0) {
            throw GantryException.invalid("Healthcheck.Retries: must not be negative");
        }
    }

    private static void check(String field, long nanos) {
        // As dockerd: 0 is "not set"; anything else below a millisecond is a mistake (a unit confusion).
        if (nanos < 0 || (nanos > 0 && nanos < MIN_NANOS)) {
            throw GantryException.invalid("Healthcheck." + field + ": must be 0 (default) or at least 1ms, not " + nanos + "ns");
        }
    }

    /** Whether this disables health checking ({@code ["NONE"]}). */
    public boolean disabled() {
        return !test.isEmpty() && test.getFirst().equals("NONE");
    }

    /** The command a probe runs. */
    public List<String> command() {
        if (test.getFirst().equals("CMD-SHELL")) {
            return List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
        }
        return test.subList(1, test.size());
    }

    public Duration interval() {
        return intervalNanos == 0 ? DEFAULT_INTERVAL : Duration.ofNanos(intervalNanos);
    }

    public Duration timeout() {
        return timeoutNanos == 0 ? DEFAULT_TIMEOUT : Duration.ofNanos(timeoutNanos);
    }

    public Duration startPeriod() {
        return Duration.ofNanos(startPeriodNanos);
    }

    public int effectiveRetries() {
        return retries == 0 ? DEFAULT_RETRIES : retries;
    }

    /**
     * The check a container runs: the request's, with the image's filling what it leaves unset
     * (dockerd's merge); empty when neither has one or the effective test is NONE.
     */
    public static Optional<Healthcheck> effective(Healthcheck request, ContainerConfig.Healthcheck image) {
        Healthcheck img = image == null ? null : new Healthcheck(image.test(), orZero(image.interval()), orZero(image.timeout()),
                orZero(image.startPeriod()), image.retries() == null ? 0 : image.retries());
        Healthcheck merged;
        if (request == null) {
            merged = img;
        } else if (img == null) {
            merged = request;
        } else {
            merged = new Healthcheck(request.test.isEmpty() ? img.test : request.test,
                    request.intervalNanos == 0 ? img.intervalNanos : request.intervalNanos,
                    request.timeoutNanos == 0 ? img.timeoutNanos : request.timeoutNanos,
                    request.startPeriodNanos == 0 ? img.startPeriodNanos : request.startPeriodNanos,
                    request.retries == 0 ? img.retries : request.retries);
        }
        return merged == null || merged.test.isEmpty() || merged.disabled() ? Optional.empty() : Optional.of(merged);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
