package dev.gantry.snapshot.tar;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streaming writer of POSIX pax tar archives. Headers are ustar; a pax extended header is
 * added only when a member needs one (long or non-ASCII names, large sizes or ids, xattrs,
 * sub-second mtimes), so plain members stay readable by any tar.
 */
public final class TarWriter implements AutoCloseable {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final long MAX_OCTAL_7 = 07777777L;
    private final OutputStream out;
    private long remaining;
    private long padding;
    private boolean finished;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code e}'s header; a regular file's {@code size} bytes must follow through {@link #write}. */
    public void putEntry(TarEntry e) throws IOException {
        if (remaining != 0) {
            throw new IllegalStateException("tar: previous member short by " + remaining + " bytes");
        }
        writePadding();
        Map<String, byte[]> pax = new TreeMap<>();
        String name = e.isDirectory() && !e.name().endsWith("/") ? e.name() + "/" : e.name();
        if (!fits(name, 100)) {
            pax.put("path", name.getBytes(StandardCharsets.UTF_8));
        }
        if (!fits(e.linkName(), 100)) {
            pax.put("linkpath", e.linkName().getBytes(StandardCharsets.UTF_8));
        }
        if (e.size() > MAX_OCTAL_11) {
            pax.put("size", Long.toString(e.size()).getBytes(StandardCharsets.US_ASCII));
        }
        if (Integer.toUnsignedLong(e.uid()) > MAX_OCTAL_7) {
            pax.put("uid", Integer.toUnsignedString(e.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (Integer.toUnsignedLong(e.gid()) > MAX_OCTAL_7) {
            pax.put("gid", Integer.toUnsignedString(e.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (e.mtimeNanos() != 0 || e.mtimeSeconds() < 0 || e.mtimeSeconds() > MAX_OCTAL_11) {
            String frac = e.mtimeNanos() == 0 ? "" : "." + String.format("%09d", e.mtimeNanos());
            pax.put("mtime", (e.mtimeSeconds() + frac).getBytes(StandardCharsets.US_ASCII));
        }
        for (Map.Entry<String, byte[]> x : new TreeMap<>(e.xattrs()).entrySet()) {
            pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
        }
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            writeHeader(paxName(name), 'x', 0644, 0, 0, "", "", records.length, e.mtimeSeconds(), "", 0, 0);
            out.write(records);
            out.write(new byte[(int) ((BLOCK - records.length % BLOCK) % BLOCK)]);
        }
        long size = e.type() == TarEntry.Type.REGULAR ? e.size() : 0;
        writeHeader(name, e.type().flag(), e.mode(), e.uid(), e.gid(), e.uname(), e.gname(), size,
                e.mtimeSeconds(), e.linkName(), e.devMajor(), e.devMinor());
        remaining = size;
        padding = (BLOCK - size % BLOCK) % BLOCK;
    }

    /** Member data; never more than the size its header declared. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > remaining) {
            throw new IllegalStateException("tar: member data exceeds its declared size");
        }
        out.write(b, off, len);
        remaining -= len;
    }

    /** Writes the two zero blocks that end an archive; does not close the underlying stream. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (remaining != 0) {
            throw new IllegalStateException("tar: last member short by " + remaining + " bytes");
        }
        writePadding();
        out.write(new byte[BLOCK * 2]);
        out.flush();
        finished = true;
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void writePadding() throws IOException {
        if (padding > 0) {
            out.write(new byte[(int) padding]);
            padding = 0;
        }
    }

    private static boolean fits(String s, int len) {
        if (s.length() > len) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String paxName(String name) {
        String base = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        int slash = base.lastIndexOf('/');
        String leaf = slash < 0 ? base : base.substring(slash + 1);
        String dir = slash < 0 ? "." : base.substring(0, slash);
        String p = dir + "/PaxHeaders/" + leaf;
        return p.length() <= 100 && fits(p, 100) ? p : "PaxHeaders/" + Math.abs(name.hashCode());
    }

    /** Each record's length counts its own digits, so the length is found by iteration. */
    private static byte[] paxRecords(Map<String, byte[]> pax) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> kv : pax.entrySet()) {
            byte[] key = kv.getKey().getBytes(StandardCharsets.UTF_8);
            int body = 1 + key.length + 1 + kv.getValue().length + 1;
            int len = body + Integer.toString(body).length();
            if (Integer.toString(len).length() != Integer.toString(body).length()) {
                len = body + Integer.toString(len).length();
            }
            buf.write((len + " ").getBytes(StandardCharsets.US_ASCII));
            buf.write(key);
            buf.write('=');
            buf.write(kv.getValue());
            buf.write('\n');
        }
        return buf.toByteArray();
    }

    private void writeHeader(String name, char type, int mode, int uid, int gid, String uname, String gname,
                             long size, long mtime, String link, int major, int minor) throws IOException {
        byte[] h = new byte[BLOCK];
        ascii(h, 0, 100, truncate(name, 100));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, Math.min(Integer.toUnsignedLong(uid), MAX_OCTAL_7));
        octal(h, 116, 8, Math.min(Integer.toUnsignedLong(gid), MAX_OCTAL_7));
        octal(h, 124, 12, Math.min(size, MAX_OCTAL_11));
        octal(h, 136, 12, Math.max(0, Math.min(mtime, MAX_OCTAL_11)));
        h[156] = (byte) type;
        ascii(h, 157, 100, truncate(link, 100));
        ascii(h, 257, 6, "ustar");
        h[263] = '0';
        h[264] = '0';
        ascii(h, 265, 32, truncate(uname, 32));
        ascii(h, 297, 32, truncate(gname, 32));
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String cs = String.format("%06o", sum);
        ascii(h, 148, 7, cs);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    private static String truncate(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= maxBytes ? s : new String(b, 0, maxBytes, StandardCharsets.US_ASCII);
    }

    private static void ascii(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        ascii(h, off, len - 1, padded);
    }
}
