package dev.gantry.snapshot.tar;

import dev.gantry.base.BulkInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A streaming reader of POSIX tar (ustar, pax) with the GNU long-name extensions Docker images
 * contain. {@link #next()} returns each member's header; {@link #content()} reads that member's
 * data, and whatever is left unread is skipped by the following {@code next()}.
 * Sparse members and multi-volume archives are refused.
 */
public final class TarReader {
    private static final int BLOCK = 512;
    /** PAX and GNU long-name records are metadata: a huge one is an attack, not an image. */
    private static final int MAX_META = 1 << 20;
    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, String> globalPax = new HashMap<>();
    private long remaining;
    private long padding;
    private boolean done;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next member, or null at the end of the archive. */
    public TarEntry next() throws IOException {
        skipRest();
        if (done) {
            return null;
        }
        Map<String, String> pax = new HashMap<>(globalPax);
        Map<String, byte[]> xattrs = new HashMap<>();
        String longName = null;
        String longLink = null;
        while (true) {
            if (!readBlock()) {
                done = true;
                return null;
            }
            if (isZero(header)) {
                // End of archive: two zero blocks, though some writers emit only one.
                done = true;
                return null;
            }
            verifyChecksum();
            char flag = (char) header[156];
            long size = number(124, 12, "size");
            switch (flag) {
                case 'x' -> parsePax(readMeta(size), pax, xattrs);
                case 'g' -> parsePax(readMeta(size), globalPax, new HashMap<>());
                case 'L' -> longName = cString(readMeta(size));
                case 'K' -> longLink = cString(readMeta(size));
                default -> {
                    return member(flag, size, pax, xattrs, longName, longLink);
                }
            }
        }
    }

    /** The data of the member last returned by {@link #next()}. */
    public InputStream content() {
        return new BulkInputStream() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new EOFException("tar: archive truncated inside a member");
                }
                remaining -= n;
                return n;
            }
        };
    }

    private TarEntry member(char flag, long size, Map<String, String> pax, Map<String, byte[]> xattrs,
                            String longName, String longLink) throws IOException {
        String name = pax.getOrDefault("path", longName != null ? longName : ustarName());
        String link = pax.getOrDefault("linkpath", longLink != null ? longLink : field(157, 100));
        if (pax.containsKey("size")) {
            size = paxLong(pax, "size");
        }
        TarEntry.Type type = switch (flag) {
            case '0', '\0', '7' -> name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.REGULAR;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            case 'S' -> throw new TarFormatException(name + ": sparse members are not supported");
            default -> throw new TarFormatException(name + ": unsupported member type '" + flag + "'");
        };
        if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse"))) {
            throw new TarFormatException(name + ": sparse members are not supported");
        }
        // Header-only types carry no data whatever their size field says (as Go's archive/tar
        // reads them, which wrote most layers in the wild).
        long dataSize = type == TarEntry.Type.REGULAR ? size : 0;
        long mtime = number(136, 12, "mtime");
        int nanos = 0;
        if (pax.containsKey("mtime")) {
            String v = pax.get("mtime");
            int dot = v.indexOf('.');
            try {
                mtime = Long.parseLong(dot < 0 ? v : v.substring(0, dot));
                if (dot >= 0) {
                    String frac = (v.substring(dot + 1) + "000000000").substring(0, 9);
                    nanos = Integer.parseInt(frac);
                }
            } catch (NumberFormatException e) {
                throw new TarFormatException(name + ": bad pax mtime '" + v + "'");
            }
        }
        int uid = pax.containsKey("uid") ? (int) paxLong(pax, "uid") : (int) number(108, 8, "uid");
        int gid = pax.containsKey("gid") ? (int) paxLong(pax, "gid") : (int) number(116, 8, "gid");
        int mode = (int) (number(100, 8, "mode") & 07777);
        int major = 0;
        int minor = 0;
        if (type == TarEntry.Type.CHAR_DEVICE || type == TarEntry.Type.BLOCK_DEVICE) {
            major = (int) number(329, 8, "devmajor");
            minor = (int) number(337, 8, "devminor");
        }
        remaining = dataSize;
        padding = (BLOCK - dataSize % BLOCK) % BLOCK;
        return new TarEntry(name, type, mode, uid, gid, pax.getOrDefault("uname", field(265, 32)),
                pax.getOrDefault("gname", field(297, 32)), type == TarEntry.Type.REGULAR ? size : 0,
                mtime, nanos, link, major, minor, xattrs);
    }

    private String ustarName() {
        String name = field(0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';
        // GNU's "ustar  \0" magic has no prefix field (those bytes hold atime/ctime).
        boolean posix = ustar && header[262] == 0;
        if (posix) {
            String prefix = field(345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private void skipRest() throws IOException {
        long n = remaining + padding;
        remaining = 0;
        padding = 0;
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("tar: archive truncated inside a member");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private boolean readBlock() throws IOException {
        int off = 0;
        while (off < BLOCK) {
            int n = in.read(header, off, BLOCK - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new EOFException("tar: archive truncated inside a header");
            }
            off += n;
        }
        return true;
    }

    private byte[] readMeta(long size) throws IOException {
        if (size < 0 || size > MAX_META) {
            throw new TarFormatException("extended header of " + size + " bytes exceeds " + MAX_META);
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new EOFException("tar: archive truncated inside an extended header");
        }
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        if (in.readNBytes((int) pad).length != pad) {
            throw new EOFException("tar: archive truncated inside an extended header");
        }
        return data;
    }

    /**
     * PAX records are {@code "<len> <key>=<value>\n"}; values are bytes (xattr values are
     * binary), keys are UTF-8. SCHILY.xattr.* carries raw values, LIBARCHIVE.xattr.* base64.
     */
    private static void parsePax(byte[] data, Map<String, String> pax, Map<String, byte[]> xattrs) {
        int pos = 0;
        while (pos < data.length) {
            int sp = pos;
            while (sp < data.length && data[sp] != ' ') {
                sp++;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new TarFormatException("malformed pax record length");
            }
            if (len <= 0 || pos + len > data.length || data[pos + len - 1] != '\n') {
                throw new TarFormatException("malformed pax record");
            }
            int eq = sp + 1;
            while (eq < pos + len && data[eq] != '=') {
                eq++;
            }
            if (eq >= pos + len) {
                throw new TarFormatException("pax record without '='");
            }
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, pos + len - 1);
            if (key.startsWith("SCHILY.xattr.")) {
                xattrs.put(key.substring("SCHILY.xattr.".length()), value);
            } else if (key.startsWith("LIBARCHIVE.xattr.")) {
                String name = java.net.URLDecoder.decode(key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
                xattrs.put(name, Base64.getDecoder().decode(new String(value, StandardCharsets.US_ASCII).trim()));
            } else if (value.length == 0) {
                pax.remove(key);
            } else {
                pax.put(key, new String(value, StandardCharsets.UTF_8));
            }
            pos += len;
        }
    }

    private static long paxLong(Map<String, String> pax, String key) {
        try {
            return Long.parseLong(pax.get(key));
        } catch (NumberFormatException e) {
            throw new TarFormatException("bad pax " + key + " '" + pax.get(key) + "'");
        }
    }

    private void verifyChecksum() {
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : header[i];
        }
        if (stored != unsigned && stored != signed) {
            throw new TarFormatException("header checksum mismatch (not a tar archive, or corrupt)");
        }
    }

    /** A numeric field: octal text, or base-256 when the high bit of the first byte is set. */
    private long number(int off, int len, String what) {
        if ((header[off] & 0x80) != 0) {
            long v = header[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                if ((v >>> 55) != 0) {
                    throw new TarFormatException(what + " field overflows");
                }
                v = (v << 8) | (header[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end; i++) {
            byte b = header[i];
            if (b == ' ' || b == 0) {
                break;
            }
            if (b < '0' || b > '7') {
                throw new TarFormatException("bad octal in " + what + " field");
            }
            v = (v << 3) | (b - '0');
        }
        return v;
    }

    private String field(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
