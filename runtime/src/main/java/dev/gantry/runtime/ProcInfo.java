package dev.gantry.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Facts about processes read from /proc (proc(5)). */
final class ProcInfo {
    private final Path proc;

    ProcInfo(Path proc) {
        this.proc = proc;
    }

    /** Start time (field 22) and state (field 3) of /proc/PID/stat, if the process exists. */
    record Stat(long startTime, char state) {}

    Optional<Stat> stat(int pid) {
        try {
            String s = Files.readString(proc.resolve(pid + "/stat"));
            // comm (field 2) may contain spaces and parentheses: parse after the last ')'.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(Long.parseLong(f[19]), f[0].charAt(0)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether pid is still the process that started at startTime and has not exited. */
    boolean alive(int pid, long startTime) {
        if (pid <= 0) {
            return false;
        }
        return stat(pid).filter(st -> st.startTime() == startTime && st.state() != 'Z' && st.state() != 'X').isPresent();
    }

    /** The namespace a process is in, as the link text of /proc/PID/ns/NAME (e.g. "pid:[4026531836]"). */
    Optional<String> namespace(int pid, String procName) {
        try {
            return Optional.of(Files.readSymbolicLink(proc.resolve(pid + "/ns/" + procName)).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
