package dev.gantry.cgroups;

import dev.gantry.cgroups.sys.CgroupSyscalls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link CgroupSyscalls} that records each call and answers with fixed descriptors. */
public final class RecordingSyscalls implements CgroupSyscalls {
    public final List<String> calls = new ArrayList<>();
    public final List<Integer> attachedIds = new ArrayList<>();
    public byte[] loadedProgram;
    private int nextFd = 100;

    @Override
    public int openDirectory(Path dir) {
        calls.add("openDirectory " + dir.getFileName());
        return nextFd++;
    }

    @Override
    public int openReadOnly(Path file) {
        calls.add("openReadOnly " + file.getFileName());
        return nextFd++;
    }

    @Override
    public void close(int fd) {
        calls.add("close " + fd);
    }

    @Override
    public int eventfd() {
        calls.add("eventfd");
        return nextFd++;
    }

    @Override
    public long readEventfd(int fd) {
        calls.add("readEventfd " + fd);
        return 1;
    }

    @Override
    public void signalEventfd(int fd, long value) {
        calls.add("signalEventfd " + fd);
    }

    @Override
    public List<Integer> pollReadable(List<Integer> fds, Duration timeout) {
        calls.add("poll " + fds);
        return List.of(fds.getFirst());
    }

    @Override
    public int bpfProgramLoad(int programType, byte[] instructions, String license) {
        calls.add("load type=" + programType + " insns=" + instructions.length / 8);
        loadedProgram = instructions;
        return nextFd++;
    }

    @Override
    public void bpfProgramAttach(int cgroupFd, int programFd, int attachType, int flags) {
        calls.add("attach cgroup=" + cgroupFd + " prog=" + programFd + " type=" + attachType + " flags=" + flags);
    }

    @Override
    public void bpfProgramDetach(int cgroupFd, int programFd, int attachType) {
        calls.add("detach cgroup=" + cgroupFd + " prog=" + programFd + " type=" + attachType);
    }

    @Override
    public List<Integer> bpfProgramQuery(int cgroupFd, int attachType) {
        calls.add("query cgroup=" + cgroupFd + " type=" + attachType);
        return List.copyOf(attachedIds);
    }

    @Override
    public int bpfProgramFdById(int id) {
        calls.add("fdById " + id);
        return nextFd++;
    }

    @Override
    public void remount(Path mountPoint, long flags, String options) {
        calls.add("remount " + mountPoint + " " + flags + " " + options);
    }
}
