package dev.gantry.cgroups.bpf;

import dev.gantry.base.GantryException;
import dev.gantry.oci.runtime.LinuxDeviceCgroup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gantry.cgroups.bpf.BpfInterpreter.BLOCK;
import static dev.gantry.cgroups.bpf.BpfInterpreter.CHAR;
import static dev.gantry.cgroups.bpf.BpfInterpreter.MKNOD;
import static dev.gantry.cgroups.bpf.BpfInterpreter.READ;
import static dev.gantry.cgroups.bpf.BpfInterpreter.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceProgramTest {
    private static byte[] program(LinuxDeviceCgroup... rules) {
        return BpfInstruction.encode(DeviceProgram.compile(List.of(rules)));
    }

    private static LinuxDeviceCgroup allow(String type, Long major, Long minor, String access) {
        return new LinuxDeviceCgroup(true, type, major, minor, access);
    }

    private static LinuxDeviceCgroup deny(String type, Long major, Long minor, String access) {
        return new LinuxDeviceCgroup(false, type, major, minor, access);
    }

    @Test
    void instructionEncodingMatchesStructBpfInsn() {
        byte[] bytes = BpfInstruction.encode(List.of(BpfInstruction.loadWord(4, 1, 8),
                BpfInstruction.jumpIfNotEqual(2, 0x1234, -3)));
        assertThat(bytes).containsExactly(
                0x61, 0x14, 8, 0, 0, 0, 0, 0,
                0x55, 0x02, (byte) 0xFD, (byte) 0xFF, 0x34, 0x12, 0, 0);
    }

    @Test
    void emptyRuleListDeniesEverything() {
        byte[] p = program();
        assertThat(BpfInterpreter.run(p, CHAR, READ, 1, 3)).isZero();
        assertThat(BpfInterpreter.run(p, BLOCK, MKNOD, 8, 0)).isZero();
    }

    @Test
    void typicalContainerListAllowsOnlyTheListedDevices() {
        byte[] p = program(
                deny(null, null, null, "rwm"),
                allow("c", 1L, 3L, "rwm"),      // /dev/null
                allow("c", 1L, 5L, "rwm"),      // /dev/zero
                allow("c", 136L, null, "rwm"),  // /dev/pts/*
                allow("c", null, null, "m"),    // mknod of any char device
                allow("c", 10L, 200L, "rw"));   // /dev/net/tun without mknod
        assertThat(BpfInterpreter.run(p, CHAR, READ | WRITE, 1, 3)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, CHAR, READ, 1, 5)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, CHAR, WRITE, 136, 7)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, CHAR, MKNOD, 4, 1)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, CHAR, READ | WRITE, 10, 200)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, BLOCK, MKNOD, 8, 0)).as("mknod of a block device").isZero();
        assertThat(BpfInterpreter.run(p, BLOCK, READ, 1, 3)).as("block 1:3 is not char 1:3").isZero();
        assertThat(BpfInterpreter.run(p, CHAR, READ, 4, 1)).as("tty1").isZero();
        assertThat(BpfInterpreter.run(p, CHAR, READ, 1, 4)).isZero();
    }

    @Test
    void allowRuleMustCoverEveryRequestedAccess() {
        byte[] p = program(allow("c", 10L, 200L, "r"));
        assertThat(BpfInterpreter.run(p, CHAR, READ, 10, 200)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, CHAR, READ | WRITE, 10, 200)).isZero();
        assertThat(BpfInterpreter.run(p, CHAR, WRITE, 10, 200)).isZero();
    }

    @Test
    void lastMatchingRuleWins() {
        byte[] p = program(allow(null, null, null, "rwm"), deny("c", 1L, 3L, "rwm"));
        assertThat(BpfInterpreter.run(p, CHAR, READ, 1, 3)).isZero();
        assertThat(BpfInterpreter.run(p, CHAR, READ, 1, 5)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, BLOCK, WRITE, 8, 0)).isEqualTo(1);

        byte[] q = program(deny("c", 1L, 3L, "rwm"), allow(null, null, null, "rwm"));
        assertThat(BpfInterpreter.run(q, CHAR, READ, 1, 3)).isEqualTo(1);
    }

    @Test
    void denyRuleRefusesAnyOverlappingAccess() {
        byte[] p = program(allow("a", null, null, "rwm"), deny("c", 1L, 3L, "w"));
        assertThat(BpfInterpreter.run(p, CHAR, READ, 1, 3)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, CHAR, READ | WRITE, 1, 3)).isZero();
        assertThat(BpfInterpreter.run(p, CHAR, WRITE, 1, 3)).isZero();
    }

    @Test
    void everyInstructionIsReachableAsTheVerifierDemands() {
        List<List<LinuxDeviceCgroup>> lists = List.of(
                List.of(allow("a", null, null, "rwm"), deny("c", 1L, 3L, "rwm")),
                List.of(deny(null, null, null, "rwm"), allow("c", 1L, 3L, "rw")),
                List.of(allow("c", 1L, 3L, "rw"), allow(null, null, null, null), allow("b", 8L, 0L, "r")),
                List.of());
        for (List<LinuxDeviceCgroup> rules : lists) {
            List<BpfInstruction> program = DeviceProgram.compile(rules);
            boolean[] reached = new boolean[program.size()];
            java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>(List.of(0));
            while (!work.isEmpty()) {
                int pc = work.pop();
                if (reached[pc]) {
                    continue;
                }
                reached[pc] = true;
                BpfInstruction insn = program.get(pc);
                if (insn.opcode() == BpfInstruction.EXIT) {
                    continue;
                }
                work.push(pc + 1);
                if (insn.opcode() == BpfInstruction.JEQ_K || insn.opcode() == BpfInstruction.JNE_K) {
                    work.push(pc + 1 + insn.offset());
                }
            }
            for (int pc = 0; pc < reached.length; pc++) {
                assertThat(reached[pc]).as("instruction %d of %s", pc, rules).isTrue();
            }
        }
        byte[] allowAllLast = program(deny("c", 1L, 3L, "rwm"), allow(null, null, null, null));
        assertThat(BpfInterpreter.run(allowAllLast, CHAR, READ, 1, 3)).isEqualTo(1);
    }

    @Test
    void minusOneIsAWildcardAndBadRulesAreRefused() {
        byte[] p = program(allow("b", 8L, -1L, "r"));
        assertThat(BpfInterpreter.run(p, BLOCK, READ, 8, 17)).isEqualTo(1);
        assertThat(BpfInterpreter.run(p, BLOCK, READ, 9, 17)).isZero();
        assertThatThrownBy(() -> program(allow("x", null, null, "r")))
                .isInstanceOf(GantryException.class).hasMessageContaining("devices[0].type");
        assertThatThrownBy(() -> program(allow("c", null, null, "rq")))
                .isInstanceOf(GantryException.class).hasMessageContaining("devices[0].access");
    }
}
