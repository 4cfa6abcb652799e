package dev.gantry.cgroups.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs the subset of eBPF the device program uses, from its encoded bytes, against a
 * {@code struct bpf_cgroup_dev_ctx}. It decodes the same bytes the kernel receives, so an
 * encoding mistake shows up here as a wrong decision.
 */
final class BpfInterpreter {
    static final int BLOCK = 1;
    static final int CHAR = 2;
    static final int MKNOD = 1;
    static final int READ = 2;
    static final int WRITE = 4;

    private BpfInterpreter() {
    }

    /** Returns r0 at exit: 1 allow, 0 deny. */
    static long run(byte[] program, int type, int access, int major, int minor) {
        ByteBuffer ctx = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ctx.putInt(0, (access << 16) | type).putInt(4, major).putInt(8, minor);
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        long[] r = new long[11];
        r[1] = -1; // the context pointer: only ever used as the base of a load
        int count = program.length / 8;
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            if (pc < 0 || pc >= count) {
                throw new IllegalStateException("jumped outside the program to " + pc);
            }
            int base = pc * 8;
            int opcode = code.get(base) & 0xFF;
            int regs = code.get(base + 1) & 0xFF;
            int dst = regs & 0x0F;
            int src = regs >> 4;
            short off = code.getShort(base + 2);
            int imm = code.getInt(base + 4);
            pc++;
            switch (opcode) {
                case BpfInstruction.LDX_MEM_W -> {
                    if (r[src] != -1) {
                        throw new IllegalStateException("load from a non-context register r" + src);
                    }
                    r[dst] = ctx.getInt(off) & 0xFFFFFFFFL;
                }
                case BpfInstruction.ALU32_AND_K -> r[dst] = (r[dst] & imm) & 0xFFFFFFFFL;
                case BpfInstruction.ALU32_RSH_K -> r[dst] = ((r[dst] & 0xFFFFFFFFL) >>> imm) & 0xFFFFFFFFL;
                case BpfInstruction.MOV32_X -> r[dst] = r[src] & 0xFFFFFFFFL;
                case BpfInstruction.MOV64_K -> r[dst] = imm;
                case BpfInstruction.JEQ_K -> pc += r[dst] == (long) imm ? off : 0;
                case BpfInstruction.JNE_K -> pc += r[dst] != (long) imm ? off : 0;
                case BpfInstruction.EXIT -> {
                    return r[0];
                }
                default -> throw new IllegalStateException("unknown opcode 0x" + Integer.toHexString(opcode));
            }
        }
        throw new IllegalStateException("program did not exit");
    }
}
