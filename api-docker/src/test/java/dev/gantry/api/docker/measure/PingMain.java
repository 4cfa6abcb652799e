package dev.gantry.api.docker.measure;

import dev.gantry.api.docker.UnixHttpClient;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sends {@code count} sequential {@code GET /_ping} requests to the socket in the first
 * argument, over one kept-alive connection and then one connection per request (as each
 * docker CLI invocation does), after a warm-up; prints median, p99 and mean in microseconds.
 */
public final class PingMain {
    private PingMain() {}

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        try (var c = new UnixHttpClient(socket)) {
            for (int i = 0; i < 2000; i++) {
                c.send("GET", "/_ping");
            }
        }
        long[] kept = new long[count];
        try (var c = new UnixHttpClient(socket)) {
            for (int i = 0; i < count; i++) {
                long t = System.nanoTime();
                if (c.send("GET", "/_ping").status() != 200) {
                    throw new IllegalStateException("ping failed");
                }
                kept[i] = System.nanoTime() - t;
            }
        }
        long[] fresh = new long[count];
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            try (var c = new UnixHttpClient(socket)) {
                if (c.send("GET", "/_ping").status() != 200) {
                    throw new IllegalStateException("ping failed");
                }
            }
            fresh[i] = System.nanoTime() - t;
        }
        report("keep-alive", kept);
        report("new connection each", fresh);
    }

    private static void report(String label, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s: %d pings, median %d us, p99 %d us, mean %d us%n", label, s.length, s[s.length / 2] / 1000,
                s[(int) (s.length * 0.99)] / 1000, Arrays.stream(s).sum() / s.length / 1000);
    }
}
