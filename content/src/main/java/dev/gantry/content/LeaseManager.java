package dev.gantry.content;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.ImageJson;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Creates and lists {@link Lease}s, one JSON file each under a directory. Also a {@link RootSet}. */
public final class LeaseManager implements RootSet {
    private final Path dir;
    private final Clock clock;

    public LeaseManager(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "lease directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A new lease named {@code id} that expires after {@code ttl}; ALREADY_EXISTS if taken. */
    public Lease create(String id, Duration ttl) {
        if (!id.matches("[A-Za-z0-9_.:-]{1,200}")) {
            throw GantryException.invalid("lease id '" + id + "': use letters, digits and _.:-");
        }
        Path file = dir.resolve(id + ".json");
        if (Files.exists(file)) {
            throw new GantryException(ErrorKind.ALREADY_EXISTS, "lease " + id + ": already exists");
        }
        FileLease lease = new FileLease(id, clock.instant().plus(ttl), file);
        lease.save();
        return lease;
    }

    /** Reopens a persisted lease (e.g. a container's after a restart). */
    public Lease get(String id) {
        Path file = dir.resolve(id + ".json");
        if (!Files.exists(file)) {
            throw GantryException.notFound("lease " + id + ": not found");
        }
        Stored s = read(file);
        FileLease lease = new FileLease(id, s.expiresAt(), file);
        lease.resources.addAll(s.resources);
        return lease;
    }

    /** Resources of every unexpired lease; expired lease files are deleted as they are found. */
    @Override
    public List<Descriptor> roots() {
        List<Descriptor> out = new ArrayList<>();
        Instant now = clock.instant();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : ds) {
                Stored s = read(f);
                if (s.expiresAt().isBefore(now)) {
                    Files.deleteIfExists(f);
                } else {
                    out.addAll(s.resources);
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "listing leases: " + e.getMessage(), e);
        }
        return out;
    }

    private static Stored read(Path f) {
        try {
            return ImageJson.read(Files.readAllBytes(f), Stored.class, "lease " + f.getFileName());
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "reading lease " + f + ": " + e.getMessage(), e);
        }
    }

    /** Instants are stored as ISO-8601 text: the shared mapper carries no java.time module. */
    record Stored(@JsonProperty("expiresAt") String expiresAtText, @JsonProperty("resources") List<Descriptor> resources) {
        Stored {
            resources = resources == null ? List.of() : resources;
        }

        Instant expiresAt() {
            return Instant.parse(expiresAtText);
        }
    }

    private static final class FileLease implements Lease {
        private final String id;
        private final Instant expiresAt;
        private final Path file;
        private final Set<Descriptor> resources = new LinkedHashSet<>();

        FileLease(String id, Instant expiresAt, Path file) {
            this.id = id;
            this.expiresAt = expiresAt;
            this.file = file;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Instant expiresAt() {
            return expiresAt;
        }

        @Override
        public synchronized void add(Descriptor resource) {
            if (resources.add(resource)) {
                save();
            }
        }

        @Override
        public synchronized Set<Descriptor> resources() {
            return Set.copyOf(resources);
        }

        /** Written to a temporary file and renamed, so a reader never sees a torn lease. */
        synchronized void save() {
            try {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, ImageJson.write(new Stored(expiresAt.toString(), List.copyOf(resources))));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new GantryException(ErrorKind.UNAVAILABLE, "saving lease " + id + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new GantryException(ErrorKind.INTERNAL, "releasing lease " + id + ": " + e.getMessage(), e);
            }
        }
    }
}
