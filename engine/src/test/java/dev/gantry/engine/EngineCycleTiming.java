package dev.gantry.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Times each phase of create → start → wait → logs → remove of {@code true} in busybox, in
 * one JVM (issue 5's benchmark without the HTTP layer). Not a test: run its main as root with
 * the test class path. Usage: EngineCycleTiming [ROUNDS] [WARMUP] [PAUSE_MS]; prints median and p90
 * per phase. PAUSE_MS between rounds stands for a client's own time between runs (background
 * deletions of the previous container then do not compete with the next create).
 */
final class EngineCycleTiming {
    private static final String[] PHASES = {"create", "start", "wait", "logs", "remove", "total"};

    private EngineCycleTiming() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Path root = Files.createTempDirectory("gantry-cycle");
        EngineFixture fx = new EngineFixture(root);
        double[][] ms = new double[PHASES.length][n];
        try (Engine engine = fx.open()) {
            for (int i = -warmup; i < n; i++) {
                double[] t = once(engine);
                Thread.sleep(pauseMillis);
                if (i >= 0) {
                    for (int p = 0; p < PHASES.length; p++) {
                        ms[p][i] = t[p];
                    }
                }
            }
        } finally {
            new ProcessBuilder("rm", "-rf", "--one-file-system", root.toString()).inheritIO().start().waitFor();
        }
        for (int p = 0; p < PHASES.length; p++) {
            Arrays.sort(ms[p]);
            System.out.printf("%-7s median=%7.2f ms  p90=%7.2f ms  min=%7.2f ms%n",
                    PHASES[p], ms[p][n / 2], ms[p][(int) (n * 0.9)], ms[p][0]);
        }
        System.out.println("warnings: " + fx.warnings.size());
    }

    private static double[] once(Engine engine) throws Exception {
        long t0 = System.nanoTime();
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("true"),
                HostConfig.builder().networkMode("none").build())).id();
        long t1 = System.nanoTime();
        var exit = engine.wait(id, WaitCondition.NEXT_EXIT);
        engine.start(id);
        long t2 = System.nanoTime();
        int code = exit.get(30, TimeUnit.SECONDS).exitCode();
        long t3 = System.nanoTime();
        engine.logs(id, LogOptions.ALL, e -> { });
        long t4 = System.nanoTime();
        engine.remove(id, true, true);
        long t5 = System.nanoTime();
        if (code != 0) {
            throw new IllegalStateException("container exited with " + code);
        }
        return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6,
                (t5 - t0) / 1e6};
    }
}
