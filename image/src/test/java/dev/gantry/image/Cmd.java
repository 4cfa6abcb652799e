package dev.gantry.image;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool (skopeo, htpasswd, openssl) and returns its stdout; fails on non-zero exit. */
final class Cmd {
    private Cmd() {
    }

    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
