package dev.gantry.runtime.helper;

import dev.gantry.nativehelper.HelperResource;
import dev.gantry.sys.Syscalls;

/**
 * The helper executable, loaded once per JVM into a sealed memfd and executed from there.
 * A sealed memfd cannot be written by anyone, so a container process that reaches the
 * helper through /proc/PID/exe finds nothing it can rewrite (CVE-2019-5736, where runc's
 * own binary on the host was overwritten this way).
 */
public final class HelperBinary {
    private static final int F_ADD_SEALS = 1033, F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;

    private final String execPath;

    private HelperBinary(String execPath) {
        this.execPath = execPath;
    }

    /** Copies the helper into a memfd, seals it, and keeps a read-only fd to execute. */
    public static HelperBinary load(Syscalls sys) {
        byte[] image = HelperResource.bytes();
        int memfd = sys.memfdCreate("gantry-helper");
        try {
            sys.write(memfd, image, 0, image.length);
            sys.fcntl(memfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
            // execve refuses a file that is open for writing (ETXTBSY): keep only a read-only
            // descriptor of it, obtained through the magic link.
            int ro = sys.open("/proc/self/fd/" + memfd, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC, 0);
            return new HelperBinary("/proc/" + sys.getpid() + "/fd/" + ro);
        } finally {
            sys.close(memfd);
        }
    }

    /** A path that execve(2) accepts in a child of this process. */
    public String execPath() {
        return execPath;
    }
}
