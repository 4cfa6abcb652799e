package dev.gantry.seccomp;

import dev.gantry.base.GantryException;
import java.util.ArrayList;
import java.util.List;

/**
 * One argument comparison of a rule, and the BPF that tests it. The BPF sees each 64-bit
 * argument as two 32-bit words (low word at {@code 16 + 8*index}, high word 4 bytes later on
 * little-endian x86), so a 64-bit comparison tests the high word first and the low word only
 * when the high words are equal, as libseccomp does. Jumps to {@link Bpf#FAIL} mean "this rule
 * does not match"; falling through means the condition holds.
 *
 * @param value the comparison operand; for MASKED_EQ the mask (seccomp_rule_add(3): datum_a)
 * @param valueTwo for MASKED_EQ the value the masked argument must equal (datum_b)
 */
record Condition(int index, Op op, long value, long valueTwo) {

    enum Op { NE, LT, LE, EQ, GE, GT, MASKED_EQ }

    static Op op(String name) {
        if (name == null || !name.startsWith("SCMP_CMP_")) {
            throw GantryException.invalid("seccomp: unknown argument operator \"" + name + "\"");
        }
        try {
            return Op.valueOf(name.substring("SCMP_CMP_".length()));
        } catch (IllegalArgumentException e) {
            throw GantryException.invalid("seccomp: unknown argument operator \"" + name + "\"");
        }
    }

    List<Bpf.Insn> emit(boolean wide) {
        List<Bpf.Insn> code = new ArrayList<>();
        int lowOffset = Bpf.OFFSET_ARGS + 8 * index;
        int highOffset = lowOffset + 4;
        long operand = op == Op.MASKED_EQ ? valueTwo : value;
        int lo = (int) operand;
        int hi = (int) (operand >>> 32);
        if (!wide) {
            // libseccomp compares only the low word on 32-bit ABIs.
            code.add(Bpf.load(lowOffset));
            if (op == Op.MASKED_EQ) {
                code.add(Bpf.and((int) value));
            }
            code.add(lowWordTest(lo));
            return code;
        }
        switch (op) {
            case EQ -> {
                code.add(Bpf.load(highOffset));
                code.add(Bpf.jump(Bpf.JEQ_K, hi, 0, Bpf.FAIL));
                code.add(Bpf.load(lowOffset));
                code.add(Bpf.jump(Bpf.JEQ_K, lo, 0, Bpf.FAIL));
            }
            case NE -> {
                code.add(Bpf.load(highOffset));
                code.add(Bpf.jump(Bpf.JEQ_K, hi, 0, 2));
                code.add(Bpf.load(lowOffset));
                code.add(Bpf.jump(Bpf.JEQ_K, lo, Bpf.FAIL, 0));
            }
            case MASKED_EQ -> {
                code.add(Bpf.load(highOffset));
                code.add(Bpf.and((int) (value >>> 32)));
                code.add(Bpf.jump(Bpf.JEQ_K, hi, 0, Bpf.FAIL));
                code.add(Bpf.load(lowOffset));
                code.add(Bpf.and((int) value));
                code.add(Bpf.jump(Bpf.JEQ_K, lo, 0, Bpf.FAIL));
            }
            case GT, GE -> {
                // high > hi: holds; high == hi: decide on the low word; high < hi: fails.
                code.add(Bpf.load(highOffset));
                code.add(Bpf.jump(Bpf.JGT_K, hi, 3, 0));
                code.add(Bpf.jump(Bpf.JEQ_K, hi, 0, Bpf.FAIL));
                code.add(Bpf.load(lowOffset));
                code.add(Bpf.jump(op == Op.GT ? Bpf.JGT_K : Bpf.JGE_K, lo, 0, Bpf.FAIL));
            }
            case LT, LE -> {
                // high > hi: fails; high < hi: holds; high == hi: decide on the low word.
                code.add(Bpf.load(highOffset));
                code.add(Bpf.jump(Bpf.JGT_K, hi, Bpf.FAIL, 0));
                code.add(Bpf.jump(Bpf.JEQ_K, hi, 0, 2));
                code.add(Bpf.load(lowOffset));
                code.add(Bpf.jump(op == Op.LT ? Bpf.JGE_K : Bpf.JGT_K, lo, Bpf.FAIL, 0));
            }
        }
        return code;
    }

    /** The one test of a 32-bit ABI, with the low word (masked for MASKED_EQ) in A. */
    private Bpf.Insn lowWordTest(int lo) {
        return switch (op) {
            case EQ, MASKED_EQ -> Bpf.jump(Bpf.JEQ_K, lo, 0, Bpf.FAIL);
            case NE -> Bpf.jump(Bpf.JEQ_K, lo, Bpf.FAIL, 0);
            case GT -> Bpf.jump(Bpf.JGT_K, lo, 0, Bpf.FAIL);
            case GE -> Bpf.jump(Bpf.JGE_K, lo, 0, Bpf.FAIL);
            case LT -> Bpf.jump(Bpf.JGE_K, lo, Bpf.FAIL, 0);
            case LE -> Bpf.jump(Bpf.JGT_K, lo, Bpf.FAIL, 0);
        };
    }
}
