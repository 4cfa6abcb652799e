package dev.gantry.engine.internal;

import dev.gantry.base.GantryException;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves Docker's {@code User} ({@code name}, {@code uid}, {@code name:group},
 * {@code uid:gid}, empty for root) against the container's own /etc/passwd and /etc/group,
 * as runc's user lookup does: a name must exist; a numeric uid need not (it then gets gid 0
 * and home /); a group given by name must exist. The supplementary groups are the groups of
 * /etc/group that list the user by name (and not the primary group again).
 */
public final class UserResolver {
    /** A resolved user: ids, supplementary gids, and the home directory for HOME. */
    public record Resolved(long uid, long gid, List<Long> additionalGids, String home) {
    }

    private record PasswdEntry(String name, long uid, long gid, String home) {
    }

    private record GroupEntry(String name, long gid, List<String> members) {
    }

    private UserResolver() {
    }

    /** @param passwd the container's /etc/passwd (empty when it has none); @param group likewise /etc/group */
    public static Resolved resolve(String user, String passwd, String group) {
        String spec = user == null ? "" : user.trim();
        String userPart = spec;
        String groupPart = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            userPart = spec.substring(0, colon);
            groupPart = spec.substring(colon + 1);
        }
        List<PasswdEntry> users = parsePasswd(passwd);
        List<GroupEntry> groups = parseGroup(group);
        PasswdEntry entry = null;
        long uid = 0;
        long gid = 0;
        String home = "/";
        if (userPart.isEmpty()) {
            entry = users.stream().filter(u -> u.uid == 0).findFirst().orElse(null);
        } else if (isNumber(userPart)) {
            uid = parseId(userPart, "user");
            long wanted = uid;
            entry = users.stream().filter(u -> u.uid == wanted).findFirst().orElse(null);
        } else {
            String wanted = userPart;
            entry = users.stream().filter(u -> u.name.equals(wanted)).findFirst()
                    .orElseThrow(() -> GantryException.invalid("Config.User: unable to find user " + wanted
                            + ": no matching entries in the container's /etc/passwd"));
        }
        if (entry != null) {
            uid = entry.uid;
            gid = entry.gid;
            home = entry.home;
        }
        if (groupPart != null && !groupPart.isEmpty()) {
            if (isNumber(groupPart)) {
                gid = parseId(groupPart, "group");
            } else {
                String wanted = groupPart;
                gid = groups.stream().filter(g -> g.name.equals(wanted)).findFirst()
                        .orElseThrow(() -> GantryException.invalid("Config.User: unable to find group " + wanted
                                + ": no matching entries in the container's /etc/group")).gid;
            }
        }
        List<Long> extra = new ArrayList<>();
        if (entry != null) {
            for (GroupEntry g : groups) {
                if (g.members.contains(entry.name) && g.gid != gid && !extra.contains(g.gid)) {
                    extra.add(g.gid);
                }
            }
        }
        return new Resolved(uid, gid, List.copyOf(extra), home);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static long parseId(String s, String what) {
        try {
            long v = Long.parseLong(s);
            if (v > 0xFFFF_FFFEL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw GantryException.invalid("Config.User: " + what + " id " + s + " is out of range");
        }
    }

    private static List<PasswdEntry> parsePasswd(String text) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (line.startsWith("#") || f.length < 6 || !isNumber(f[2]) || !isNumber(f[3])) {
                continue;
            }
            out.add(new PasswdEntry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5].isEmpty() ? "/" : f[5]));
        }
        return out;
    }

    private static List<GroupEntry> parseGroup(String text) {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (line.startsWith("#") || f.length < 3 || !isNumber(f[2])) {
                continue;
            }
            List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
            out.add(new GroupEntry(f[0], Long.parseLong(f[2]), members));
        }
        return out;
    }
}
