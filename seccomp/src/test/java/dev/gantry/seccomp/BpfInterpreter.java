package dev.gantry.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A classic-BPF interpreter for the subset seccomp filters use, run over a synthetic
 * {@code struct seccomp_data}. It also applies the kernel's static checks (bpf_check_classic,
 * seccomp_check_filter): forward jumps inside the program, aligned loads inside seccomp_data,
 * a RET at the end, at most 4096 instructions.
 */
final class BpfInterpreter {
    private static final int SECCOMP_DATA_SIZE = 64;

    private BpfInterpreter() {
    }

    /** Runs {@code filter} for syscall {@code nr} under audit arch {@code arch}; returns the SECCOMP_RET_* value. */
    static int run(byte[] filter, int nr, int arch, long... args) {
        ByteBuffer data = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(8, 0x7f00_0000_1000L);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        ByteBuffer code = ByteBuffer.wrap(filter).order(ByteOrder.LITTLE_ENDIAN);
        int length = filter.length / 8;
        check(code, length);
        int a = 0;
        int pc = 0;
        while (true) {
            if (pc >= length) {
                throw new AssertionError("ran off the end of the program");
            }
            int at = pc * 8;
            int op = code.getShort(at) & 0xFFFF;
            int jt = code.get(at + 2) & 0xFF;
            int jf = code.get(at + 3) & 0xFF;
            int k = code.getInt(at + 4);
            pc++;
            switch (op) {
                case Bpf.LD_W_ABS -> a = data.getInt(k);
                case Bpf.ALU_AND_K -> a &= k;
                case Bpf.JMP_JA -> pc += k;
                case Bpf.JEQ_K -> pc += a == k ? jt : jf;
                case Bpf.JGT_K -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf;
                case Bpf.JGE_K -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
                case 0x45 -> pc += (a & k) != 0 ? jt : jf;
                case Bpf.RET_K -> {
                    return k;
                }
                default -> throw new AssertionError("unsupported BPF opcode 0x" + Integer.toHexString(op));
            }
        }
    }

    private static void check(ByteBuffer code, int length) {
        if (length == 0 || length > 4096) {
            throw new AssertionError("bad program length " + length);
        }
        for (int pc = 0; pc < length; pc++) {
            int op = code.getShort(pc * 8) & 0xFFFF;
            int jt = code.get(pc * 8 + 2) & 0xFF;
            int jf = code.get(pc * 8 + 3) & 0xFF;
            int k = code.getInt(pc * 8 + 4);
            switch (op) {
                case Bpf.LD_W_ABS -> {
                    if (k < 0 || k >= SECCOMP_DATA_SIZE || (k & 3) != 0) {
                        throw new AssertionError("bad load offset " + k + " at " + pc);
                    }
                }
                case Bpf.JMP_JA -> {
                    if (k < 0 || pc + 1 + (long) k >= length) {
                        throw new AssertionError("ja out of range at " + pc);
                    }
                }
                case Bpf.JEQ_K, Bpf.JGT_K, Bpf.JGE_K, 0x45 -> {
                    if (pc + 1 + jt >= length || pc + 1 + jf >= length) {
                        throw new AssertionError("conditional jump out of range at " + pc);
                    }
                }
                case Bpf.ALU_AND_K, Bpf.RET_K -> {
                }
                default -> throw new AssertionError("unsupported BPF opcode 0x" + Integer.toHexString(op) + " at " + pc);
            }
        }
        if ((code.getShort((length - 1) * 8) & 0xFFFF) != Bpf.RET_K) {
            throw new AssertionError("program does not end in RET");
        }
    }
}
