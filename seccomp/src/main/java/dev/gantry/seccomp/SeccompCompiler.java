package dev.gantry.seccomp;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxSeccomp;
import dev.gantry.oci.runtime.LinuxSeccompArg;
import dev.gantry.oci.runtime.LinuxSyscall;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compiles the runtime spec's {@code linux.seccomp} into a classic BPF program for an x86_64
 * kernel, with the semantics runc gets from libseccomp:
 * <ul>
 *   <li>The arch check comes first. Allowed: AUDIT_ARCH_X86_64 (native, always) and the ABIs
 *       listed in {@code architectures} (SCMP_ARCH_X86 = AUDIT_ARCH_I386, SCMP_ARCH_X32 =
 *       AUDIT_ARCH_X86_64 with the x32 bit in nr). Any other arch gets SECCOMP_RET_KILL_THREAD:
 *       libseccomp's default bad-arch action ({@code SCMP_ACT_KILL}, set in db.c's collection
 *       reset), which runc never overrides. Architectures of other CPUs can never reach an
 *       x86_64 kernel's filter and are ignored.</li>
 *   <li>Unless SCMP_ARCH_X32 is listed, x32 numbers (nr &ge; 0x40000000) under
 *       AUDIT_ARCH_X86_64 get the bad-arch action too, except nr == -1, which a tracer uses to
 *       skip a syscall and which therefore reaches the rules (libseccomp's gen_bpf.c).</li>
 *   <li>Syscall names unknown to an ABI are skipped for that ABI (debug log), as libseccomp
 *       and runc do, so one profile serves several kernels and arches.</li>
 *   <li>A rule whose action (including its errno) equals the default action is dropped, as runc
 *       does (libseccomp refuses it). Conditions of one rule are ANDed; rules for one syscall are
 *       ORed, first match deciding. An unconditional rule wins over conditional ones, as in
 *       libseccomp's rule tree. When one rule has several conditions on the same argument,
 *       each becomes its own rule (runc's workaround for libseccomp).</li>
 * </ul>
 * Not done: runc's "-ENOSYS for syscalls newer than the profile" stub, libseccomp's i386
 * socketcall/ipc multiplexer rules, and SCMP_ACT_NOTIFY (refused).
 */
public final class SeccompCompiler {
    private static final System.Logger LOG = System.getLogger(SeccompCompiler.class.getName());
    private static final Map<String, Integer> FLAGS = Map.of(
            "SECCOMP_FILTER_FLAG_TSYNC", 1,
            "SECCOMP_FILTER_FLAG_LOG", 2,
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4,
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32);
    private static final int BAD_ARCH_ACTION = SeccompAction.RET_KILL_THREAD;
    private static final int MAX_ARGS = 6;

    /** Compiles {@code seccomp}; INVALID_ARGUMENT names the offending field. */
    public SeccompProgram compile(LinuxSeccomp seccomp) {
        int defaultAction = SeccompAction.resolve(seccomp.defaultAction(), seccomp.defaultErrnoRet(), "defaultAction");
        Set<Abi> abis = abis(seccomp.architecturesOrEmpty());
        Map<Abi, NavigableMap<Long, List<Outcome.Rule>>> rules = new LinkedHashMap<>();
        for (Abi abi : abis) {
            rules.put(abi, new TreeMap<>());
        }
        List<LinuxSyscall> syscalls = seccomp.syscallsOrEmpty();
        for (int i = 0; i < syscalls.size(); i++) {
            addRules(syscalls.get(i), "syscalls[" + i + "]", defaultAction, rules);
        }
        List<Bpf.Insn> program = link(rules, defaultAction);
        if (program.size() > Bpf.MAX_INSNS) {
            throw GantryException.invalid("seccomp: the filter needs " + program.size()
                    + " BPF instructions, more than the kernel's limit of " + Bpf.MAX_INSNS);
        }
        return new SeccompProgram(Bpf.encode(program), flags(seccomp.flagsOrEmpty()));
    }

    private static Set<Abi> abis(List<String> architectures) {
        Set<Abi> abis = EnumSet.of(Abi.X86_64);
        for (String name : architectures) {
            Abi abi = Abi.byScmpName(name);
            if (abi == null) {
                LOG.log(System.Logger.Level.DEBUG, "seccomp: ignoring architecture {0}: not an x86 ABI", name);
            } else {
                abis.add(abi);
            }
        }
        return abis;
    }

    private static void addRules(LinuxSyscall syscall, String field, int defaultAction,
            Map<Abi, NavigableMap<Long, List<Outcome.Rule>>> rules) {
        int action = SeccompAction.resolve(syscall.action(), syscall.errnoRet(), field + ".action");
        if (action == defaultAction) {
            LOG.log(System.Logger.Level.DEBUG, "seccomp: {0} has the default action, skipped", field);
            return;
        }
        List<List<Condition>> alternatives = alternatives(syscall.argsOrEmpty(), field);
        for (String name : syscall.namesOrEmpty()) {
            for (Map.Entry<Abi, NavigableMap<Long, List<Outcome.Rule>>> section : rules.entrySet()) {
                Integer nr = section.getKey().syscalls.get(name);
                if (nr == null) {
                    LOG.log(System.Logger.Level.DEBUG, "seccomp: {0} unknown on {1}, skipped", name, section.getKey());
                    continue;
                }
                List<Outcome.Rule> forSyscall =
                        section.getValue().computeIfAbsent(Integer.toUnsignedLong(nr), k -> new ArrayList<>());
                for (List<Condition> conditions : alternatives) {
                    forSyscall.add(new Outcome.Rule(action, conditions, section.getKey().wideArgs));
                }
            }
        }
    }

    /** The ORed condition lists of one config entry: one list, or one per condition (see class doc). */
    private static List<List<Condition>> alternatives(List<LinuxSeccompArg> args, String field) {
        List<Condition> conditions = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        boolean repeated = false;
        for (int j = 0; j < args.size(); j++) {
            LinuxSeccompArg arg = args.get(j);
            if (arg.index() < 0 || arg.index() >= MAX_ARGS) {
                throw GantryException.invalid("seccomp: " + field + ".args[" + j + "].index: must be 0..5, got " + arg.index());
            }
            conditions.add(new Condition((int) arg.index(), Condition.op(arg.op()), arg.valueBits(), arg.valueTwoBits()));
            repeated |= !indexes.add((int) arg.index());
        }
        return repeated ? conditions.stream().map(List::of).toList() : List.of(List.copyOf(conditions));
    }

    /** The whole program: arch dispatch, then one section per audit arch. */
    private static List<Bpf.Insn> link(Map<Abi, NavigableMap<Long, List<Outcome.Rule>>> rules, int defaultAction) {
        boolean x32 = rules.containsKey(Abi.X32);
        NavigableMap<Long, List<Outcome.Rule>> native64 = new TreeMap<>(rules.get(Abi.X86_64));
        if (x32) {
            native64.putAll(rules.get(Abi.X32));
        }
        List<List<Bpf.Insn>> sections = new ArrayList<>();
        List<Integer> auditArches = new ArrayList<>();
        sections.add(section(native64, defaultAction, !x32));
        auditArches.add(Abi.AUDIT_ARCH_X86_64);
        if (rules.containsKey(Abi.I386)) {
            sections.add(section(rules.get(Abi.I386), defaultAction, false));
            auditArches.add(Abi.AUDIT_ARCH_I386);
        }
        List<Bpf.Insn> program = new ArrayList<>();
        program.add(Bpf.load(Bpf.OFFSET_ARCH));
        int dispatchEnd = 1 + 2 * sections.size() + 1;
        int sectionStart = dispatchEnd;
        for (int i = 0; i < sections.size(); i++) {
            program.add(Bpf.jump(Bpf.JEQ_K, auditArches.get(i), 0, 1));
            int jaIndex = program.size();
            program.add(Bpf.ja(sectionStart - (jaIndex + 1)));
            sectionStart += sections.get(i).size();
        }
        program.add(Bpf.ret(BAD_ARCH_ACTION));
        sections.forEach(program::addAll);
        return program;
    }

    /**
     * One arch's code: load nr and dispatch. x32 arrives under the x86_64 audit arch, so the native
     * section also rejects x32 numbers when x32 is not allowed (keeping nr == -1, see class doc).
     */
    private static List<Bpf.Insn> section(NavigableMap<Long, List<Outcome.Rule>> rules, int defaultAction,
            boolean rejectX32) {
        NavigableMap<Long, Outcome> outcomes = new TreeMap<>();
        rules.forEach((nr, list) -> outcomes.put(nr, outcome(list, defaultAction)));
        List<Bpf.Insn> code = new ArrayList<>();
        code.add(Bpf.load(Bpf.OFFSET_NR));
        if (rejectX32) {
            code.add(Bpf.jump(Bpf.JGE_K, Abi.X32_SYSCALL_BIT, 0, 2));
            code.add(Bpf.jump(Bpf.JEQ_K, -1, 1, 0));
            code.add(Bpf.ret(BAD_ARCH_ACTION));
        }
        code.addAll(SyscallTree.emit(outcomes, defaultAction));
        return code;
    }

    private static Outcome outcome(List<Outcome.Rule> rules, int defaultAction) {
        for (Outcome.Rule rule : rules) {
            if (rule.conditions().isEmpty()) {
                return new Outcome.Return(rule.action());
            }
        }
        return new Outcome.Rules(List.copyOf(rules), defaultAction);
    }

    private static int flags(List<String> names) {
        int flags = 0;
        for (String name : names) {
            Integer bit = FLAGS.get(name);
            if (bit == null) {
                throw GantryException.invalid("seccomp: flags: unknown flag \"" + name + "\"");
            }
            flags |= bit;
        }
        return flags;
    }
}
