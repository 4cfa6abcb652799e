package dev.gantry.runtime.plan;

import dev.gantry.base.GantryException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mount's option list split the way mount(2) takes it: flags to set, propagation flags
 * that need their own mount(2) call, and the remaining filesystem-specific data string.
 * Option names follow mount(8); unknown ones are passed to the filesystem as data.
 */
public record MountFlags(long flags, long propagation, boolean bind, boolean recursive, String data) {
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;

    private record Flag(boolean clear, long value) {}

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("ro", new Flag(false, MS_RDONLY)), Map.entry("rw", new Flag(true, MS_RDONLY)),
            Map.entry("nosuid", new Flag(false, MS_NOSUID)), Map.entry("suid", new Flag(true, MS_NOSUID)),
            Map.entry("nodev", new Flag(false, MS_NODEV)), Map.entry("dev", new Flag(true, MS_NODEV)),
            Map.entry("noexec", new Flag(false, MS_NOEXEC)), Map.entry("exec", new Flag(true, MS_NOEXEC)),
            Map.entry("sync", new Flag(false, MS_SYNCHRONOUS)), Map.entry("async", new Flag(true, MS_SYNCHRONOUS)),
            Map.entry("dirsync", new Flag(false, MS_DIRSYNC)), Map.entry("remount", new Flag(false, MS_REMOUNT)),
            Map.entry("mand", new Flag(false, MS_MANDLOCK)), Map.entry("nomand", new Flag(true, MS_MANDLOCK)),
            Map.entry("noatime", new Flag(false, MS_NOATIME)), Map.entry("atime", new Flag(true, MS_NOATIME)),
            Map.entry("nodiratime", new Flag(false, MS_NODIRATIME)), Map.entry("diratime", new Flag(true, MS_NODIRATIME)),
            Map.entry("relatime", new Flag(false, MS_RELATIME)), Map.entry("norelatime", new Flag(true, MS_RELATIME)),
            Map.entry("strictatime", new Flag(false, MS_STRICTATIME)),
            Map.entry("nostrictatime", new Flag(true, MS_STRICTATIME)),
            Map.entry("nosymfollow", new Flag(false, MS_NOSYMFOLLOW)),
            Map.entry("symfollow", new Flag(true, MS_NOSYMFOLLOW)));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    /** Parses options; {@code field} names the config field in error messages. */
    public static MountFlags parse(List<String> options, String field) {
        long flags = 0, propagation = 0;
        boolean bind = false, recursive = false;
        List<String> data = new ArrayList<>();
        for (String o : options) {
            Flag f = FLAGS.get(o);
            if (f != null) {
                flags = f.clear ? flags & ~f.value : flags | f.value;
            } else if (PROPAGATION.containsKey(o)) {
                propagation = PROPAGATION.get(o);
            } else if (o.equals("bind")) {
                bind = true;
            } else if (o.equals("rbind")) {
                bind = true;
                recursive = true;
            } else if (o.equals("idmap") || o.equals("ridmap")) {
                throw GantryException.invalid(field + ": option \"" + o + "\" (id-mapped mounts) is not supported");
            } else if (o.equals("tmpcopyup")) {
                throw GantryException.invalid(field + ": option \"tmpcopyup\" is not supported");
            } else if (!o.isEmpty()) {
                data.add(o);
            }
        }
        return new MountFlags(flags, propagation, bind, recursive, String.join(",", data));
    }

    /** Propagation for {@code linux.rootfsPropagation}; runc's default is rslave. */
    public static long rootfsPropagation(String value) {
        if (value == null || value.isEmpty()) {
            return MS_SLAVE | MS_REC;
        }
        Long p = PROPAGATION.get(value);
        if (p == null) {
            throw GantryException.invalid("linux.rootfsPropagation: unknown propagation \"" + value + "\"");
        }
        return p;
    }
}
