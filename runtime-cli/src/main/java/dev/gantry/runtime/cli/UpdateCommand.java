package dev.gantry.runtime.cli;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxBlockIo;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxPids;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.JsonTree;
import dev.gantry.oci.runtime.RecordBinder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

final class UpdateCommand implements Verb {
    private static final List<String> LIMIT_FLAGS = List.of("--memory", "--memory-reservation", "--memory-swap",
            "--cpu-share", "--cpu-period", "--cpu-quota", "--cpu-rt-period", "--cpu-rt-runtime", "--cpuset-cpus",
            "--cpuset-mems", "--pids-limit", "--blkio-weight");

    @Override
    public String name() {
        return "update";
    }

    @Override
    public String summary() {
        return "Change the resource limits of a running container, from flags or from a LinuxResources JSON"
                + " document (--resources).";
    }

    @Override
    public String synopsis() {
        return "[options] <container-id>";
    }

    @Override
    public List<Args.Opt> options() {
        return List.of(
                Args.Opt.value("--resources", "-r", "file|-", "LinuxResources JSON (as in config.json's"
                        + " linux.resources) from a file, or - for stdin; excludes the other flags"),
                Args.Opt.value("--memory", null, "bytes", "memory limit (units k, m, g accepted; -1 for none)"),
                Args.Opt.value("--memory-reservation", null, "bytes", "memory soft limit (units accepted)"),
                Args.Opt.value("--memory-swap", null, "bytes", "memory plus swap limit (units accepted; -1 for none)"),
                Args.Opt.value("--cpu-share", "--cpu-shares", "shares", "CPU shares (relative weight)"),
                Args.Opt.value("--cpu-period", null, "us", "CPU CFS period in microseconds"),
                Args.Opt.value("--cpu-quota", null, "us", "CPU CFS quota in microseconds per period (-1 for none)"),
                Args.Opt.value("--cpu-rt-period", null, "us", "CPU realtime period in microseconds"),
                Args.Opt.value("--cpu-rt-runtime", null, "us", "CPU realtime runtime in microseconds per period"),
                Args.Opt.value("--cpuset-cpus", null, "list", "CPUs the container may use (e.g. 0-1,3)"),
                Args.Opt.value("--cpuset-mems", null, "list", "memory nodes the container may use (e.g. 0)"),
                Args.Opt.value("--pids-limit", null, "n", "maximum number of tasks (-1 for none)"),
                Args.Opt.value("--blkio-weight", null, "n", "block I/O weight, 10 to 1000 (needs CFQ or BFQ)"));
    }

    @Override
    public int run(GantryRunc app, Args a) throws IOException {
        String id = a.positional(name(), 0, "<container-id>");
        a.atMost(name(), 1);
        LinuxResources request = a.value("--resources").isPresent() ? fromJson(a) : fromFlags(a);
        app.runtime().update(id, request);
        return 0;
    }

    private LinuxResources fromJson(Args a) throws IOException {
        if (LIMIT_FLAGS.stream().anyMatch(f -> a.value(f).isPresent())) {
            throw GantryException.invalid("--resources: cannot be combined with the individual limit flags");
        }
        String source = a.value("--resources").get();
        byte[] json = source.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(source));
        // Errors name the flag and the JSON path: "--resources r.json: memory.limit: must be ...".
        String name = "--resources " + source;
        return RecordBinder.bind(JsonTree.parse(json, name), LinuxResources.class, name);
    }

    private LinuxResources fromFlags(Args a) {
        Long memory = size(a, "--memory"), reservation = size(a, "--memory-reservation"), swap = size(a, "--memory-swap");
        LinuxMemory mem = memory == null && reservation == null && swap == null ? null
                : new LinuxMemory(memory, reservation, swap, null, null, null, null, null, null);
        Long shares = number(a, "--cpu-share"), period = number(a, "--cpu-period"), quota = number(a, "--cpu-quota"),
                rtPeriod = number(a, "--cpu-rt-period"), rtRuntime = number(a, "--cpu-rt-runtime");
        String cpus = a.value("--cpuset-cpus").orElse(null), mems = a.value("--cpuset-mems").orElse(null);
        LinuxCpu cpu = shares == null && period == null && quota == null && rtPeriod == null && rtRuntime == null
                && cpus == null && mems == null ? null
                : new LinuxCpu(shares, quota, null, period, rtRuntime, rtPeriod, cpus, mems, null);
        Long pidsLimit = number(a, "--pids-limit");
        LinuxPids pids = pidsLimit == null ? null : new LinuxPids(pidsLimit);
        Long weight = number(a, "--blkio-weight");
        LinuxBlockIo io = weight == null ? null
                : new LinuxBlockIo(weight.intValue(), null, null, null, null, null, null);
        return new LinuxResources(null, mem, cpu, pids, io, null, null, null, null);
    }

    private Long number(Args a, String flag) {
        return a.longValue(name(), flag).orElse(null);
    }

    private static Long size(Args a, String flag) {
        return a.value(flag).map(text -> ByteSize.parse(flag, text)).orElse(null);
    }
}
