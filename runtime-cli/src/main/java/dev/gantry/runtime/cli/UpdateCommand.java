package dev.gantry.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxBlockIo;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxPids;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.OciJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "update", description = "Change the resource limits of a running container, from flags or from"
        + " a LinuxResources JSON document (--resources).")
final class UpdateCommand implements Callable<Integer> {
    @ParentCommand
    GantryRunc app;

    @Option(names = {"-r", "--resources"}, paramLabel = "<file|->",
            description = "LinuxResources JSON (as in config.json's linux.resources) from a file, or - for stdin;"
                    + " excludes the other flags")
    String resources;

    @Option(names = "--memory", description = "memory limit (bytes; units k, m, g accepted; -1 for none)")
    String memory;

    @Option(names = "--memory-reservation", description = "memory soft limit (bytes; units accepted)")
    String memoryReservation;

    @Option(names = "--memory-swap", description = "memory plus swap limit (bytes; units accepted; -1 for none)")
    String memorySwap;

    @Option(names = {"--cpu-share", "--cpu-shares"}, description = "CPU shares (relative weight)")
    Long cpuShares;

    @Option(names = "--cpu-period", description = "CPU CFS period in microseconds")
    Long cpuPeriod;

    @Option(names = "--cpu-quota", description = "CPU CFS quota in microseconds per period (-1 for none)")
    Long cpuQuota;

    @Option(names = "--cpu-rt-period", description = "CPU realtime period in microseconds")
    Long cpuRtPeriod;

    @Option(names = "--cpu-rt-runtime", description = "CPU realtime runtime in microseconds per period")
    Long cpuRtRuntime;

    @Option(names = "--cpuset-cpus", description = "CPUs the container may use (e.g. 0-1,3)")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", description = "memory nodes the container may use (e.g. 0)")
    String cpusetMems;

    @Option(names = "--pids-limit", description = "maximum number of tasks (-1 for none)")
    Long pidsLimit;

    @Option(names = "--blkio-weight", description = "block I/O weight, 10 to 1000 (needs a CFQ or BFQ scheduler)")
    Integer blkioWeight;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() throws IOException {
        LinuxResources request = resources != null ? fromJson() : fromFlags();
        app.runtime().update(id, request);
        return 0;
    }

    private LinuxResources fromJson() throws IOException {
        if (anyFlag()) {
            throw GantryException.invalid("--resources: cannot be combined with the individual limit flags");
        }
        byte[] json = resources.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(resources));
        try {
            return OciJson.mapper().readValue(json, LinuxResources.class);
        } catch (JsonProcessingException e) {
            throw GantryException.invalid("--resources " + resources + ": not a LinuxResources JSON document: "
                    + e.getOriginalMessage());
        }
    }

    private boolean anyFlag() {
        return memory != null || memoryReservation != null || memorySwap != null || cpuShares != null
                || cpuPeriod != null || cpuQuota != null || cpuRtPeriod != null || cpuRtRuntime != null
                || cpusetCpus != null || cpusetMems != null || pidsLimit != null || blkioWeight != null;
    }

    private LinuxResources fromFlags() {
        LinuxMemory mem = memory == null && memoryReservation == null && memorySwap == null ? null
                : new LinuxMemory(size("--memory", memory), size("--memory-reservation", memoryReservation),
                        size("--memory-swap", memorySwap), null, null, null, null, null, null);
        LinuxCpu cpu = cpuShares == null && cpuPeriod == null && cpuQuota == null && cpuRtPeriod == null
                && cpuRtRuntime == null && cpusetCpus == null && cpusetMems == null ? null
                : new LinuxCpu(cpuShares, cpuQuota, null, cpuPeriod, cpuRtRuntime, cpuRtPeriod, cpusetCpus, cpusetMems,
                        null);
        LinuxPids pids = pidsLimit == null ? null : new LinuxPids(pidsLimit);
        LinuxBlockIo io = blkioWeight == null ? null : new LinuxBlockIo(blkioWeight, null, null, null, null, null, null);
        return new LinuxResources(null, mem, cpu, pids, io, null, null, null, null);
    }

    private static Long size(String flag, String text) {
        return text == null ? null : ByteSize.parse(flag, text);
    }
}
