package dev.gantry.seccomp;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The classic-BPF subset the compiler emits (linux/filter.h, linux/bpf_common.h) and the
 * {@code struct seccomp_data} layout it reads (linux/seccomp.h): nr at 0, arch at 4,
 * instruction_pointer at 8, args[6] at 16 (u64 each, little-endian on x86).
 */
final class Bpf {
    static final int LD_W_ABS = 0x20;
    static final int JMP_JA = 0x05;
    static final int JEQ_K = 0x15;
    static final int JGT_K = 0x25;
    static final int JGE_K = 0x35;
    static final int ALU_AND_K = 0x54;
    static final int RET_K = 0x06;

    static final int OFFSET_NR = 0;
    static final int OFFSET_ARCH = 4;
    static final int OFFSET_ARGS = 16;

    /** BPF_MAXINSNS: the kernel refuses longer filters with EINVAL. */
    static final int MAX_INSNS = 4096;
    /** Conditional jump offsets are a u8. */
    static final int MAX_SHORT_JUMP = 255;

    /** One instruction; {@code jt}/{@code jf} are forward offsets (or {@link #FAIL} before patching). */
    record Insn(int code, int jt, int jf, int k) {
    }

    /** Placeholder jump target: "the instruction after the enclosing rule block". */
    static final int FAIL = -1;

    private Bpf() {
    }

    static Insn load(int offset) {
        return new Insn(LD_W_ABS, 0, 0, offset);
    }

    static Insn jump(int code, int k, int jt, int jf) {
        return new Insn(code, jt, jf, k);
    }

    static Insn ja(int offset) {
        return new Insn(JMP_JA, 0, 0, offset);
    }

    static Insn and(int mask) {
        return new Insn(ALU_AND_K, 0, 0, mask);
    }

    static Insn ret(int value) {
        return new Insn(RET_K, 0, 0, value);
    }

    static byte[] encode(List<Insn> program) {
        ByteBuffer out = ByteBuffer.allocate(program.size() * SeccompProgram.INSTRUCTION_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (Insn insn : program) {
            if (insn.jt() < 0 || insn.jt() > MAX_SHORT_JUMP || insn.jf() < 0 || insn.jf() > MAX_SHORT_JUMP) {
                throw new GantryException(ErrorKind.INTERNAL, "seccomp: compiler emitted a bad conditional jump: " + insn);
            }
            out.putShort((short) insn.code()).put((byte) insn.jt()).put((byte) insn.jf()).putInt(insn.k());
        }
        return out.array();
    }
}
