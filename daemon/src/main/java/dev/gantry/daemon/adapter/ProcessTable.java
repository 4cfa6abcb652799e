package dev.gantry.daemon.adapter;

import dev.gantry.api.docker.model.ContainerTopResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code docker top}: the runtime's pids of a container (its cgroup), each described from
 * {@code /proc} (proc(5)) in the columns of {@code ps -o uid,pid,ppid,comm,args}. A process that
 * exits while it is read is left out.
 */
public final class ProcessTable {
    private static final List<String> TITLES = List.of("UID", "PID", "PPID", "CMD");

    private final Function<String, List<Integer>> pids;
    private final Path proc;

    /** @param pids a container's host pids, by container id */
    public ProcessTable(Function<String, List<Integer>> pids, Path proc) {
        this.pids = pids;
        this.proc = proc;
    }

    ContainerTopResponse top(String containerId) {
        List<List<String>> rows = new ArrayList<>();
        for (int pid : pids.apply(containerId)) {
            try {
                rows.add(row(pid));
            } catch (IOException gone) {
                // The process exited between the listing and the read.
            }
        }
        return new ContainerTopResponse(TITLES, rows);
    }

    private List<String> row(int pid) throws IOException {
        Path dir = proc.resolve(Integer.toString(pid));
        String uid = "?";
        String ppid = "?";
        for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Uid:")) {
                uid = line.substring(4).trim().split("\\s+")[0];
            } else if (line.startsWith("PPid:")) {
                ppid = line.substring(5).trim();
            }
        }
        byte[] cmdline = Files.readAllBytes(dir.resolve("cmdline"));
        String cmd = new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        if (cmd.isEmpty()) {
            cmd = "[" + Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).trim() + "]";
        }
        return List.of(uid, Integer.toString(pid), ppid, cmd);
    }
}
