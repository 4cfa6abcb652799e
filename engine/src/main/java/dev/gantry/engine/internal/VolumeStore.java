package dev.gantry.engine.internal;

import dev.gantry.base.FileTrees;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.engine.Volume;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Volumes of the local driver: {@code root/<name>/_data} is what containers mount,
 * {@code root/<name>/volume.json} its metadata. The data directory is created before the
 * metadata is written, so a volume with metadata always has its directory; a directory
 * without metadata (a crash in between) is removed when the store opens.
 */
public final class VolumeStore {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final String META = "volume.json";

    private final Path root;

    public VolumeStore(Path root) {
        this.root = root;
        try {
            PrivateDirs.ensure(root);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                for (Path dir : ds) {
                    if (!Files.isRegularFile(dir.resolve(META))) {
                        FileTrees.delete(dir);
                    }
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "volume store " + root + ": " + e.getMessage(), e);
        }
    }

    /** Creates the volume, or returns the existing one of that name (as dockerd does). */
    public synchronized Volume create(String name, Map<String, String> labels, boolean anonymous) {
        String n = name == null || name.isEmpty() ? Ids.random() : name;
        if (!NAME.matcher(n).matches()) {
            throw GantryException.invalid("volume name \"" + n + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed,"
                    + " at least two characters");
        }
        Path dir = root.resolve(n);
        if (Files.isRegularFile(dir.resolve(META))) {
            return get(n);
        }
        try {
            Files.createDirectories(dir.resolve("_data"));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "creating volume " + n + ": " + e.getMessage(), e);
        }
        Volume v = new Volume(n, dir.resolve("_data").toString(), Instant.now().toString(), labels, anonymous);
        AtomicFiles.write(dir.resolve(META), EngineJson.write(v));
        return v;
    }

    public synchronized Volume get(String name) {
        Path meta = root.resolve(name).resolve(META);
        if (!NAME.matcher(name).matches() || !Files.isRegularFile(meta)) {
            throw GantryException.notFound("get " + name + ": no such volume");
        }
        try {
            return EngineJson.read(Files.readAllBytes(meta), Volume.class, meta.toString());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading " + meta + ": " + e.getMessage(), e);
        }
    }

    public synchronized boolean exists(String name) {
        return NAME.matcher(name).matches() && Files.isRegularFile(root.resolve(name).resolve(META));
    }

    public synchronized List<Volume> list() {
        List<Volume> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path dir : ds) {
                if (Files.isRegularFile(dir.resolve(META))) {
                    out.add(get(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "listing volumes: " + e.getMessage(), e);
        }
        return out;
    }

    /** Removes the volume and its data; the metadata goes first so that a crash leaves only an orphan directory. */
    public synchronized long remove(String name) {
        Volume v = get(name);
        Path dir = root.resolve(v.name());
        long size = FileTrees.size(dir.resolve("_data"));
        try {
            Files.delete(dir.resolve(META));
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "removing volume " + name + ": " + e.getMessage(), e);
        }
        FileTrees.delete(dir);
        return size;
    }

    /** Whether the volume's data directory is empty (a new volume, before copy-up). */
    public boolean isEmpty(Volume v) {
        try (Stream<Path> s = Files.list(Path.of(v.mountpoint()))) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "reading volume " + v.name() + ": " + e.getMessage(), e);
        }
    }
}
