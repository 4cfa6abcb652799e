package dev.gantry.sys;

/**
 * Device numbers as the kernel's 64-bit {@code dev_t} encodes them (glibc's makedev(3),
 * major(3), minor(3)): 12 bits of major and 20 of minor in the low word, the rest above.
 */
public final class DeviceNumbers {
    private DeviceNumbers() {
    }

    public static long makedev(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    public static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    public static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
