package dev.gantry.snapshot;

import dev.gantry.base.GantryException;
import dev.gantry.sys.Syscalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Performs a snapshot's {@link Mount}s on a target directory (needs CAP_SYS_ADMIN). */
public final class Mounter {
    private final Syscalls fs;

    public Mounter(Syscalls fs) {
        this.fs = fs;
    }

    /** Mounts each of {@code mounts} on {@code target}, in order. */
    public void mount(List<Mount> mounts, Path target) {
        for (Mount m : mounts) {
            List<String> data = new ArrayList<>();
            long flags = 0;
            for (String o : m.options()) {
                switch (o) {
                    case "ro" -> flags |= Syscalls.MS_RDONLY;
                    case "rw" -> { }
                    case "bind" -> flags |= Syscalls.MS_BIND;
                    case "rbind" -> flags |= Syscalls.MS_BIND | Syscalls.MS_REC;
                    default -> data.add(o);
                }
            }
            if (m.type().equals("bind")) {
                fs.mount(m.source(), target.toString(), null, flags & ~Syscalls.MS_RDONLY, null);
                if ((flags & Syscalls.MS_RDONLY) != 0) {
                    // A bind mount ignores MS_RDONLY; read-only takes a remount (mount(2), "MS_BIND").
                    fs.mount("none", target.toString(), null, Syscalls.MS_BIND | Syscalls.MS_REMOUNT | Syscalls.MS_RDONLY, null);
                }
            } else if (m.type().equals("overlay")) {
                fs.mount(m.source(), target.toString(), "overlay", flags, String.join(",", data));
            } else {
                throw GantryException.invalid("mount type " + m.type() + ": not supported");
            }
        }
    }

    /** Unmounts {@code target} (lazily, so that a busy mount does not stay behind). */
    public void unmount(Path target) {
        fs.umount2(target.toString(), Syscalls.MNT_DETACH);
    }
}
