package dev.gantry.seccomp;

import dev.gantry.base.GantryException;

/**
 * Maps the runtime spec's action names to SECCOMP_RET_* values (linux/seccomp.h), with
 * runc's reading of {@code errnoRet}: EPERM when absent for SCMP_ACT_ERRNO and SCMP_ACT_TRACE.
 */
final class SeccompAction {
    static final int RET_KILL_PROCESS = 0x8000_0000;
    static final int RET_KILL_THREAD = 0x0000_0000;
    static final int RET_TRAP = 0x0003_0000;
    static final int RET_ERRNO = 0x0005_0000;
    static final int RET_TRACE = 0x7ff0_0000;
    static final int RET_LOG = 0x7ffc_0000;
    static final int RET_ALLOW = 0x7fff_0000;
    static final int EPERM = 1;

    private SeccompAction() {
    }

    /** The SECCOMP_RET_* value of {@code action}; {@code field} names it in errors. */
    static int resolve(String action, Long errnoRet, String field) {
        if (action == null) {
            throw GantryException.invalid("seccomp: " + field + ": is required");
        }
        return switch (action) {
            case "SCMP_ACT_ALLOW" -> RET_ALLOW;
            case "SCMP_ACT_ERRNO" -> RET_ERRNO | data(errnoRet, field);
            // libseccomp: SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD.
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> RET_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> RET_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> RET_TRAP;
            case "SCMP_ACT_TRACE" -> RET_TRACE | data(errnoRet, field);
            case "SCMP_ACT_LOG" -> RET_LOG;
            case "SCMP_ACT_NOTIFY" ->
                throw GantryException.invalid("seccomp: SCMP_ACT_NOTIFY needs a listener, not supported");
            default -> throw GantryException.invalid("seccomp: " + field + ": unknown action \"" + action + "\"");
        };
    }

    /** SECCOMP_RET_DATA is the low 16 bits. */
    private static int data(Long errnoRet, String field) {
        long value = errnoRet == null ? EPERM : errnoRet;
        if (value < 0 || value > 0xFFFF) {
            throw GantryException.invalid("seccomp: " + field + ": errnoRet " + value + " does not fit SECCOMP_RET_DATA (0..65535)");
        }
        return (int) value;
    }
}
