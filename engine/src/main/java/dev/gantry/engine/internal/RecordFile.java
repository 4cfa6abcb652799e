package dev.gantry.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small record file replaced as numbered generations in its directory: {@code <base>.<n>.json},
 * where {@code <base>.json} (the name {@link AtomicFiles} wrote) counts as generation 0. A change
 * writes generation n+1 as a new file, then unlinks generation n; reading takes the newest
 * generation that parses and deletes the others.
 *
 * <p>Crash guarantees. <b>kill -9</b> at any moment: the newest complete generation is the one
 * last written, and a generation cut short by the kill is not whole JSON and is passed over (the
 * page cache outlives the process, and generation n is unlinked only after n+1 is whole). A
 * generation that is whole JSON but does not read as a record (another version's format) is
 * an error, never taken for a torn write: nothing is deleted on its account.
 * <b>Power loss</b>: a {@code durable} write syncs the new file and its directory before the
 * old generation goes, so the old or the new record survives; a write that is not durable may
 * come back as an older generation, torn, or not at all.
 *
 * <p>Why not a temporary file renamed over the record: on ext4 a rename over an existing file
 * (auto_da_alloc, ext4(5)) and fsync both allocate the file's blocks at once, and on a file
 * system mounted with {@code discard} freeing allocated blocks costs about a millisecond when
 * the file is replaced or removed. A file written under a new name and unlinked before
 * writeback never reaches the disk: about 20 µs for the write and 10 µs for the unlink.
 */
public final class RecordFile {
    private static final Pattern GENERATION = Pattern.compile("(.+?)(?:\\.([1-9][0-9]{0,17}))?\\.json");

    private RecordFile() {
    }

    /** A record read back, with the generation it was read from. */
    public record Found<T>(long generation, T value) {
    }

    /**
     * The newest generation of {@code base} in {@code dir} that is whole JSON, read by
     * {@code parse} (given the content and the file's path; its failure is the caller's error); the other generations, and
     * {@code .<base>.json.tmp} left by {@link AtomicFiles}, are deleted. Empty when none is whole.
     */
    static <T> Optional<Found<T>> read(Path dir, String base, BiFunction<byte[], String, T> parse) {
        TreeMap<Long, Path> generations = new TreeMap<>(Comparator.reverseOrder());
        try {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, base + "*.json")) {
                for (Path p : ds) {
                    Matcher m = GENERATION.matcher(p.getFileName().toString());
                    if (m.matches() && m.group(1).equals(base)) {
                        generations.put(m.group(2) == null ? 0 : Long.parseLong(m.group(2)), p);
                    }
                }
            }
            Files.deleteIfExists(dir.resolve("." + base + ".json.tmp"));
            return Optional.ofNullable(newestWhole(generations, parse));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading " + dir.resolve(base + ".json") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every record of a directory that holds one per base name (a flat directory of many
     * records, listed once): for each base the newest generation that is whole JSON, read by
     * {@code parse}; older generations, torn ones and {@link AtomicFiles}' leftover temporary
     * files are deleted.
     */
    public static <T> Map<String, Found<T>> readAll(Path dir, BiFunction<byte[], String, T> parse) {
        Map<String, TreeMap<Long, Path>> byBase = new TreeMap<>();
        Map<String, Found<T>> out = new TreeMap<>();
        try {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    Matcher m = GENERATION.matcher(name);
                    if (name.startsWith(".") && name.endsWith(".json.tmp")) {
                        Files.deleteIfExists(p);
                    } else if (m.matches()) {
                        byBase.computeIfAbsent(m.group(1), b -> new TreeMap<>(Comparator.reverseOrder()))
                                .put(m.group(2) == null ? 0 : Long.parseLong(m.group(2)), p);
                    }
                }
            }
            for (Map.Entry<String, TreeMap<Long, Path>> base : byBase.entrySet()) {
                Found<T> found = newestWhole(base.getValue(), parse);
                if (found != null) {
                    out.put(base.getKey(), found);
                }
            }
            return out;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Of one record's generations, newest first, the newest that is whole JSON, read by
     * {@code parse}; every other generation is deleted. Null when none is whole.
     */
    private static <T> Found<T> newestWhole(TreeMap<Long, Path> generations, BiFunction<byte[], String, T> parse)
            throws IOException {
        Found<T> found = null;
        for (Map.Entry<Long, Path> g : generations.entrySet()) {
            if (found == null) {
                byte[] content = Files.readAllBytes(g.getValue());
                if (whole(content)) {
                    found = new Found<>(g.getKey(), parse.apply(content, g.getValue().toString()));
                    continue;
                }
            }
            Files.delete(g.getValue());
        }
        return found;
    }

    /**
     * Whether {@code content} is one whole JSON object, which a write cut short (a prefix), a
     * file of zeros or an empty one (what a power loss can leave) never is.
     */
    static boolean whole(byte[] content) {
        try {
            JsonNode node = EngineJson.mapper().readTree(content);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes {@code content} as the generation after {@code current} and unlinks generation
     * {@code current} (none when negative: the new one is then generation 1); returns the new
     * generation.
     */
    public static long write(Path dir, String base, long current, byte[] content, boolean durable) {
        long next = Math.max(current, 0) + 1;
        Path file = dir.resolve(name(base, next));
        try {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            if (durable) {
                // The new name must be on disk before the old one may go (fsync(2) on a file
                // does not sync its directory entry).
                syncDir(dir);
            }
            if (current >= 0) {
                Files.deleteIfExists(dir.resolve(name(base, current)));
            }
            return next;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "writing " + file + ": " + e.getMessage(), e);
        }
    }

    /** Unlinks generation {@code current}: the record is gone, even for a crash right after. */
    public static void delete(Path dir, String base, long current) {
        try {
            Files.deleteIfExists(dir.resolve(name(base, current)));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "removing " + dir.resolve(name(base, current)) + ": " + e.getMessage(), e);
        }
    }

    static String name(String base, long generation) {
        return generation == 0 ? base + ".json" : base + "." + generation + ".json";
    }

    static void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
