package dev.gantry.seccomp;

import java.util.ArrayList;
import java.util.List;

/** What a syscall number leads to inside one ABI's section of the filter. */
sealed interface Outcome {

    /** Return {@code action} (a SECCOMP_RET_* value) without looking at arguments. */
    record Return(int action) implements Outcome {
    }

    /**
     * Try {@code rules} in order (each an AND of conditions); the first that matches decides;
     * when none does, return {@code fallback}.
     */
    record Rules(List<Rule> rules, int fallback) implements Outcome {
    }

    /**
     * One conditional rule: {@code action} when every condition holds; {@code wideArgs} is false
     * for the 32-bit ABIs, whose rules compare only the low argument word.
     */
    record Rule(int action, List<Condition> conditions, boolean wideArgs) {
    }

    /** The code of this leaf; it always ends in RET, so it may clobber the accumulator. */
    default List<Bpf.Insn> emit() {
        return switch (this) {
            case Return r -> List.of(Bpf.ret(r.action()));
            case Rules r -> {
                List<Bpf.Insn> code = new ArrayList<>();
                for (Rule rule : r.rules()) {
                    code.addAll(ruleBlock(rule));
                }
                code.add(Bpf.ret(r.fallback()));
                yield code;
            }
        };
    }

    /** A rule's conditions then its RET; FAIL jumps are patched to the first instruction after the block. */
    private static List<Bpf.Insn> ruleBlock(Rule rule) {
        List<Bpf.Insn> block = new ArrayList<>();
        for (Condition condition : rule.conditions()) {
            block.addAll(condition.emit(rule.wideArgs()));
        }
        block.add(Bpf.ret(rule.action()));
        int size = block.size();
        for (int i = 0; i < size; i++) {
            Bpf.Insn insn = block.get(i);
            int toEnd = size - (i + 1);
            if (insn.jt() == Bpf.FAIL || insn.jf() == Bpf.FAIL) {
                block.set(i, new Bpf.Insn(insn.code(),
                        insn.jt() == Bpf.FAIL ? toEnd : insn.jt(),
                        insn.jf() == Bpf.FAIL ? toEnd : insn.jf(), insn.k()));
            }
        }
        return block;
    }
}
