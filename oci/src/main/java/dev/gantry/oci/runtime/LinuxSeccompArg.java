package dev.gantry.oci.runtime;

/**
 * A condition on syscall argument {@code index} (0..5). {@code value}/{@code valueTwo} are uint64
 * bit patterns; for SCMP_CMP_MASKED_EQ {@code value} is the mask and {@code valueTwo} the
 * datum ({@code (arg & value) == valueTwo}), as libseccomp's seccomp_rule_add(3) defines.
 */
public record LinuxSeccompArg(long index, @Uint64 Long value, @Uint64 Long valueTwo, String op) {

    /** {@code value} as bits, 0 when absent (as runc reads a missing uint64). */
    public long valueBits() {
        return value == null ? 0 : value;
    }

    /** {@code valueTwo} as bits, 0 when absent. */
    public long valueTwoBits() {
        return valueTwo == null ? 0 : valueTwo;
    }
}
