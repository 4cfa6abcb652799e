package dev.gantry.snapshot;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarWriter;
import dev.gantry.sys.DeviceNumbers;
import dev.gantry.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reverse of {@link LayerApplier}: writes the changes an overlay upper dir holds relative
 * to its lower layers as a layer tar. Overlay's whiteouts (0/0 character devices) become
 * {@code .wh.<name>} members, opaque directories get a {@code .wh..wh..opq} member, files with
 * several links inside the layer become hardlink members. Members are emitted in sorted order
 * so that the same tree always yields the same bytes (and digest).
 */
public final class OverlayDiffer {
    private final Syscalls fs;

    public OverlayDiffer(Syscalls fs) {
        this.fs = fs;
    }

    /** Writes the layer tar of {@code upper} to {@code out} (not closed). */
    public void diff(Path upper, OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        walk(upper, "", tar, new HashMap<>());
        tar.finish();
    }

    private void walk(Path dir, String prefix, TarWriter tar, Map<Object, String> links) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        children.sort(null);
        for (Path p : children) {
            String name = prefix + p.getFileName();
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,nlink,ino,dev,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            int type = mode & Syscalls.S_IFMT;
            long mtime = ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond();
            int uid = (int) a.get("uid");
            int gid = (int) a.get("gid");
            long rdev = (long) a.get("rdev");
            if (type == Syscalls.S_IFCHR && rdev == 0) {
                String parent = prefix;
                String leaf = p.getFileName().toString();
                tar.putEntry(TarEntry.of(parent + ".wh." + leaf, TarEntry.Type.REGULAR, 0644, 0, mtime));
                continue;
            }
            Map<String, byte[]> xattrs = xattrs(p);
            TarEntry.Type t;
            String link = "";
            long size = 0;
            switch (type) {
                case Syscalls.S_IFDIR -> t = TarEntry.Type.DIRECTORY;
                case Syscalls.S_IFLNK -> {
                    t = TarEntry.Type.SYMLINK;
                    link = Files.readSymbolicLink(p).toString();
                }
                case Syscalls.S_IFCHR -> t = TarEntry.Type.CHAR_DEVICE;
                case Syscalls.S_IFBLK -> t = TarEntry.Type.BLOCK_DEVICE;
                case Syscalls.S_IFIFO -> t = TarEntry.Type.FIFO;
                case Syscalls.S_IFREG -> {
                    Object key = a.get("dev") + ":" + a.get("ino");
                    String first = (int) a.get("nlink") > 1 ? links.putIfAbsent(key, name) : null;
                    if (first != null) {
                        t = TarEntry.Type.HARDLINK;
                        link = first;
                    } else {
                        t = TarEntry.Type.REGULAR;
                        size = (long) a.get("size");
                    }
                }
                default -> throw new GantryException(ErrorKind.INVALID_ARGUMENT, "diff: " + p + " has unsupported file type");
            }
            TarEntry e = new TarEntry(name, t, mode & 07777, uid, gid, "", "", size, mtime, 0, link,
                    (int) DeviceNumbers.major(rdev), (int) DeviceNumbers.minor(rdev), xattrs);
            tar.putEntry(e);
            if (t == TarEntry.Type.REGULAR) {
                copy(p, size, tar);
            }
            if (t == TarEntry.Type.DIRECTORY) {
                byte[] opaque = fs.lgetxattr(p.toString(), "trusted.overlay.opaque");
                if (opaque != null && opaque.length == 1 && opaque[0] == 'y') {
                    tar.putEntry(TarEntry.of(name + "/.wh..wh..opq", TarEntry.Type.REGULAR, 0644, 0, mtime));
                }
                walk(p, name + "/", tar, links);
            }
        }
    }

    /** The layer's xattrs, minus overlayfs's own bookkeeping. */
    private Map<String, byte[]> xattrs(Path p) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String n : fs.llistxattr(p.toString())) {
            if (n.startsWith("trusted.overlay.")) {
                continue;
            }
            byte[] v = fs.lgetxattr(p.toString(), n);
            if (v != null) {
                out.put(n, v);
            }
        }
        return out;
    }

    private static void copy(Path file, long size, TarWriter tar) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new GantryException(ErrorKind.CONFLICT, "diff: " + file + " shrank while being read");
                }
                tar.write(buf, 0, n);
                left -= n;
            }
        }
    }
}
