package dev.gantry.cgroups.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One eBPF instruction: {@code struct bpf_insn} of linux/bpf.h, 8 bytes — opcode, the
 * destination register in the low and the source register in the high nibble of the second
 * byte, a signed 16-bit offset and a signed 32-bit immediate, little-endian on x86_64.
 * Only the opcodes the device program needs are named here.
 */
public record BpfInstruction(int opcode, int dst, int src, short offset, int imm) {
    /** BPF_LDX | BPF_MEM | BPF_W: {@code dst = *(u32 *)(src + offset)}. */
    public static final int LDX_MEM_W = 0x61;
    /** BPF_ALU | BPF_AND | BPF_K: {@code dst = (u32) dst & imm}. */
    public static final int ALU32_AND_K = 0x54;
    /** BPF_ALU | BPF_RSH | BPF_K: {@code dst = (u32) dst >> imm}. */
    public static final int ALU32_RSH_K = 0x74;
    /** BPF_ALU | BPF_MOV | BPF_X: {@code dst = (u32) src}. */
    public static final int MOV32_X = 0xbc;
    /** BPF_ALU64 | BPF_MOV | BPF_K: {@code dst = imm}. */
    public static final int MOV64_K = 0xb7;
    /** BPF_JMP | BPF_JEQ | BPF_K: {@code if dst == imm: pc += offset}. */
    public static final int JEQ_K = 0x15;
    /** BPF_JMP | BPF_JNE | BPF_K: {@code if dst != imm: pc += offset}. */
    public static final int JNE_K = 0x55;
    /** BPF_JMP | BPF_EXIT: return r0. */
    public static final int EXIT = 0x95;

    public BpfInstruction {
        if (dst < 0 || dst > 10 || src < 0 || src > 10) {
            throw new IllegalArgumentException("eBPF has registers r0..r10");
        }
    }

    public static BpfInstruction loadWord(int dst, int src, int offset) {
        return new BpfInstruction(LDX_MEM_W, dst, src, (short) offset, 0);
    }

    public static BpfInstruction and32(int dst, int imm) {
        return new BpfInstruction(ALU32_AND_K, dst, 0, (short) 0, imm);
    }

    public static BpfInstruction rightShift32(int dst, int imm) {
        return new BpfInstruction(ALU32_RSH_K, dst, 0, (short) 0, imm);
    }

    public static BpfInstruction move32(int dst, int src) {
        return new BpfInstruction(MOV32_X, dst, src, (short) 0, 0);
    }

    public static BpfInstruction moveImmediate(int dst, int imm) {
        return new BpfInstruction(MOV64_K, dst, 0, (short) 0, imm);
    }

    public static BpfInstruction jumpIfEqual(int dst, int imm, int offset) {
        return new BpfInstruction(JEQ_K, dst, 0, (short) offset, imm);
    }

    public static BpfInstruction jumpIfNotEqual(int dst, int imm, int offset) {
        return new BpfInstruction(JNE_K, dst, 0, (short) offset, imm);
    }

    public static BpfInstruction exit() {
        return new BpfInstruction(EXIT, 0, 0, (short) 0, 0);
    }

    /** The same instruction with another jump offset (used when a block's length is known). */
    public BpfInstruction withOffset(int newOffset) {
        return new BpfInstruction(opcode, dst, src, (short) newOffset, imm);
    }

    /** Encodes a program as the kernel reads it: 8 bytes per instruction. */
    public static byte[] encode(List<BpfInstruction> program) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * program.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (BpfInstruction insn : program) {
            buffer.put((byte) insn.opcode);
            buffer.put((byte) ((insn.src << 4) | insn.dst));
            buffer.putShort(insn.offset);
            buffer.putInt(insn.imm);
        }
        return buffer.array();
    }
}
