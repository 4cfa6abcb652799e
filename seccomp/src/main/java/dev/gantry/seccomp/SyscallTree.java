package dev.gantry.seccomp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Dispatch on the syscall number (in A) as a binary search tree over number intervals: the
 * whole u32 range is cut into intervals that share one outcome (neighbouring syscalls with the
 * same action merge, gaps take the default action), and each tree node is one {@code jge}.
 * Docker's default profile needs about 100 intervals, so any syscall is decided after about
 * seven comparisons and the program stays far below BPF_MAXINSNS, where a linear chain of
 * {@code jeq} would need one instruction per syscall plus long-jump trampolines.
 */
final class SyscallTree {
    private static final long U32_END = 1L << 32;

    private record Interval(long start, Outcome outcome) {
    }

    private SyscallTree() {
    }

    /** Code deciding every syscall number; {@code bySyscall} keys are unsigned nr values. */
    static List<Bpf.Insn> emit(NavigableMap<Long, Outcome> bySyscall, int defaultAction) {
        List<Interval> intervals = intervals(bySyscall, new Outcome.Return(defaultAction));
        return node(intervals, 0, intervals.size());
    }

    private static List<Interval> intervals(NavigableMap<Long, Outcome> bySyscall, Outcome fallback) {
        List<Interval> intervals = new ArrayList<>();
        long next = 0;
        for (Map.Entry<Long, Outcome> entry : bySyscall.entrySet()) {
            if (entry.getKey() > next) {
                add(intervals, next, fallback);
            }
            add(intervals, entry.getKey(), entry.getValue());
            next = entry.getKey() + 1;
        }
        if (next < U32_END) {
            add(intervals, next, fallback);
        }
        return intervals;
    }

    private static void add(List<Interval> intervals, long start, Outcome outcome) {
        if (!intervals.isEmpty() && intervals.getLast().outcome().equals(outcome)) {
            return;
        }
        intervals.add(new Interval(start, outcome));
    }

    private static List<Bpf.Insn> node(List<Interval> intervals, int from, int to) {
        if (to - from == 1) {
            return intervals.get(from).outcome().emit();
        }
        int mid = (from + to) >>> 1;
        List<Bpf.Insn> below = node(intervals, from, mid);
        List<Bpf.Insn> above = node(intervals, mid, to);
        int boundary = (int) intervals.get(mid).start();
        List<Bpf.Insn> code = new ArrayList<>(below.size() + above.size() + 2);
        if (below.size() <= Bpf.MAX_SHORT_JUMP) {
            code.add(Bpf.jump(Bpf.JGE_K, boundary, below.size(), 0));
        } else {
            // Conditional jumps reach 255 instructions; hop over a long "below" subtree with ja.
            code.add(Bpf.jump(Bpf.JGE_K, boundary, 0, 1));
            code.add(Bpf.ja(below.size()));
        }
        code.addAll(below);
        code.addAll(above);
        return code;
    }
}
