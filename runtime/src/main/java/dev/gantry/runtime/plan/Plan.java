package dev.gantry.runtime.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the helper will do, in order: the compiled form of a container's config (or of an
 * exec'd process). Plans are pure data; they are built and checked without root.
 */
public record Plan(List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
    }

    /** The wire encoding: [u32 op][u32 argc] then [u32 len][bytes] per argument, little-endian. */
    public byte[] encode() {
        var out = new ByteArrayOutputStream();
        ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (Step s : steps) {
            out.writeBytes(word.clear().putInt(s.op().code()).array());
            out.writeBytes(word.clear().putInt(s.args().size()).array());
            for (Step.Arg a : s.args()) {
                byte[] b = a.bytes();
                out.writeBytes(word.clear().putInt(b.length).array());
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    public List<Step> steps(Op op) {
        return steps.stream().filter(s -> s.op() == op).toList();
    }

    public Optional<Step> first(Op op) {
        return steps.stream().filter(s -> s.op() == op).findFirst();
    }

    public int indexOf(Op op) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).op() == op) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return steps.stream().map(Step::toString).collect(Collectors.joining("\n"));
    }
}
