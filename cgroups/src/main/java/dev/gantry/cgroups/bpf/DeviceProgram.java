package dev.gantry.cgroups.bpf;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;

import java.util.ArrayList;
import java.util.List;

/**
 * Compiles OCI device rules ({@code linux.resources.devices}) into a
 * {@code BPF_PROG_TYPE_CGROUP_DEVICE} program, the cgroup v2 replacement of
 * {@code devices.allow}/{@code devices.deny}.
 *
 * <p>The kernel calls the program with {@code struct bpf_cgroup_dev_ctx} in r1:
 * {@code access_type} (device type in the low 16 bits: 1 block, 2 char; requested access in
 * the high 16 bits: 1 mknod, 2 read, 4 write), {@code major}, {@code minor}. A return of 1
 * allows the access, 0 refuses it with EPERM.
 *
 * <p>Semantics, the same as v1's evaluation of the rules in order: the last rule that matches
 * decides, and when none matches the access is denied. So the program tests the rules from
 * last to first and returns at the first match. An allow rule matches when it covers every
 * requested access bit; a deny rule matches when it covers any of them (a rule denying
 * {@code w} refuses an {@code rw} open).
 */
public final class DeviceProgram {
    /** The access bits of the context, in the order of the letters "mrw". */
    private static final int ACCESS_MKNOD = 1;
    private static final int ACCESS_READ = 2;
    private static final int ACCESS_WRITE = 4;
    private static final int ACCESS_ALL = ACCESS_MKNOD | ACCESS_READ | ACCESS_WRITE;
    private static final int TYPE_BLOCK = 1;
    private static final int TYPE_CHAR = 2;

    private static final int R0 = 0;
    private static final int CTX = 1;
    private static final int TYPE = 2;
    private static final int ACCESS = 3;
    private static final int MAJOR = 4;
    private static final int MINOR = 5;
    private static final int SCRATCH = 6;

    private DeviceProgram() {
    }

    /** Compiles {@code rules}; a rule with a bad type or access is an INVALID_ARGUMENT. */
    public static List<BpfInstruction> compile(List<LinuxDeviceCgroup> rules) {
        List<BpfInstruction> program = new ArrayList<>(List.of(
                BpfInstruction.loadWord(TYPE, CTX, 0),
                BpfInstruction.and32(TYPE, 0xFFFF),
                BpfInstruction.loadWord(ACCESS, CTX, 0),
                BpfInstruction.rightShift32(ACCESS, 16),
                BpfInstruction.loadWord(MAJOR, CTX, 4),
                BpfInstruction.loadWord(MINOR, CTX, 8)));
        for (int i = rules.size() - 1; i >= 0; i--) {
            List<BpfInstruction> block = ruleBlock(rules.get(i), i);
            program.addAll(block);
            if (block.size() == 2) {
                // A rule matching every device always returns: the earlier rules and the
                // default can never run, and the verifier refuses unreachable instructions.
                return List.copyOf(program);
            }
        }
        program.add(BpfInstruction.moveImmediate(R0, 0));
        program.add(BpfInstruction.exit());
        return List.copyOf(program);
    }

    /**
     * One rule: a run of tests, each of which jumps past the end of the block when the rule
     * does not match, followed by "return allow". Offsets are filled in once the block's
     * length is known.
     */
    private static List<BpfInstruction> ruleBlock(LinuxDeviceCgroup rule, int index) {
        List<BpfInstruction> block = new ArrayList<>();
        int type = type(rule.type(), index);
        if (type != 0) {
            block.add(BpfInstruction.jumpIfNotEqual(TYPE, type, 0));
        }
        int access = access(rule.access(), index);
        if (access != ACCESS_ALL) {
            block.add(BpfInstruction.move32(SCRATCH, ACCESS));
            if (rule.allow()) {
                // Requested bits outside the rule's access: the rule does not cover the request.
                block.add(BpfInstruction.and32(SCRATCH, ~access & ACCESS_ALL));
                block.add(BpfInstruction.jumpIfNotEqual(SCRATCH, 0, 0));
            } else {
                // No requested bit inside the rule's access: the rule does not concern it.
                block.add(BpfInstruction.and32(SCRATCH, access));
                block.add(BpfInstruction.jumpIfEqual(SCRATCH, 0, 0));
            }
        }
        if (isSpecific(rule.major())) {
            block.add(BpfInstruction.jumpIfNotEqual(MAJOR, number(rule.major(), index, "major"), 0));
        }
        if (isSpecific(rule.minor())) {
            block.add(BpfInstruction.jumpIfNotEqual(MINOR, number(rule.minor(), index, "minor"), 0));
        }
        block.add(BpfInstruction.moveImmediate(R0, rule.allow() ? 1 : 0));
        block.add(BpfInstruction.exit());
        for (int i = 0; i < block.size(); i++) {
            BpfInstruction insn = block.get(i);
            if (insn.opcode() == BpfInstruction.JNE_K || insn.opcode() == BpfInstruction.JEQ_K) {
                block.set(i, insn.withOffset(block.size() - i - 1));
            }
        }
        return block;
    }

    private static boolean isSpecific(Long number) {
        return number != null && number != -1;
    }

    private static int number(long value, int index, String what) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw GantryException.invalid("linux.resources.devices[" + index + "]." + what
                    + " " + value + " is out of range");
        }
        return (int) value;
    }

    /** 0 for "a" (all types), else the context's device type. */
    static int type(String type, int index) {
        if (type == null || type.isEmpty() || type.equals("a")) {
            return 0;
        }
        return switch (type) {
            case "c" -> TYPE_CHAR;
            case "b" -> TYPE_BLOCK;
            default -> throw GantryException.invalid("linux.resources.devices[" + index
                    + "].type \"" + type + "\" is not one of a, b, c");
        };
    }

    /** The context's access bits for an OCI access string such as "rw"; absent means "rwm". */
    static int access(String access, int index) {
        if (access == null || access.isEmpty()) {
            return ACCESS_ALL;
        }
        int bits = 0;
        for (char c : access.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> ACCESS_READ;
                case 'w' -> ACCESS_WRITE;
                case 'm' -> ACCESS_MKNOD;
                default -> throw GantryException.invalid("linux.resources.devices[" + index
                        + "].access \"" + access + "\" has a letter other than r, w, m");
            };
        }
        return bits;
    }
}
