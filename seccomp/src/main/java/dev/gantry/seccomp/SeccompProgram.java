package dev.gantry.seccomp;

/**
 * A compiled seccomp filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)}.
 *
 * @param filter the raw {@code struct sock_filter} array: 8 bytes per instruction, little-endian
 *     ({@code u16 code, u8 jt, u8 jf, u32 k}); {@code struct sock_fprog.len} is
 *     {@link #instructionCount()}
 * @param flags the SECCOMP_FILTER_FLAG_* bits to pass to seccomp(2)
 */
public record SeccompProgram(byte[] filter, int flags) {
    /** Size of one {@code struct sock_filter}. */
    public static final int INSTRUCTION_BYTES = 8;

    public SeccompProgram {
        filter = filter.clone();
    }

    @Override
    public byte[] filter() {
        return filter.clone();
    }

    public int instructionCount() {
        return filter.length / INSTRUCTION_BYTES;
    }
}
