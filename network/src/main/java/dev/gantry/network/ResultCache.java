package dev.gantry.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The persistent store of attachments, one JSON file per attachment under
 * {@code <cacheDir>/results/<network>-<containerId>-<ifName>} (the layout libcni uses), so DEL
 * has the configuration and result it needs after a daemon restart. Before its first plugin
 * runs, an attachment is recorded under {@code <cacheDir>/adding/} with the same name and no
 * result; the completed ADD writes {@code results/}, which supersedes it, and both go with the
 * attachment (DEL, rollback). Each file is written whole and renamed into place, so a crash
 * leaves a whole entry, never half of one. Neither is replaced nor removed on the ADD path: on
 * ext4 a rename over a file flushes the new one's data first (auto_da_alloc, ext4(5)) and an
 * unlink is as slow, about a millisecond each on this file system.
 */
final class ResultCache {
    private static final String KIND = "gantryCniCacheV1";
    private final Path dir;
    private final Path adding;

    ResultCache(Path cacheDir) {
        this.dir = cacheDir.resolve("results");
        this.adding = cacheDir.resolve("adding");
    }

    void store(NetworkConfigList config, Attachment attachment, ObjectNode result) {
        ObjectNode entry = CniJson.MAPPER.createObjectNode();
        entry.put("kind", KIND);
        entry.put("containerId", attachment.containerId());
        entry.put("ifName", attachment.ifName());
        entry.put("networkName", config.name());
        entry.put("netns", attachment.netnsPath());
        ObjectNode args = entry.putObject("cniArgs");
        attachment.args().forEach(args::put);
        ObjectNode caps = entry.putObject("capabilityArgs");
        attachment.capabilityArgs().forEach(caps::set);
        entry.set("config", CniJson.object(config.toJson().getBytes(StandardCharsets.UTF_8), "config"));
        if (result != null) {
            entry.set("result", result);
        }
        String name = name(config.name(), attachment.containerId(), attachment.ifName());
        Path file = (result == null ? adding : dir).resolve(name);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".tmp-", "");
            Files.write(tmp, CniJson.bytes(entry));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "CNI cache " + file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** The completed entry, else the pending one (an ADD cut short by a crash). */
    Optional<CachedAttachment> load(String network, String containerId, String ifName) {
        String name = name(network, containerId, ifName);
        Optional<CachedAttachment> done = read(dir.resolve(name));
        return done.isPresent() ? done : read(adding.resolve(name));
    }

    List<CachedAttachment> all() {
        Map<String, Path> byName = new java.util.TreeMap<>();
        // Pending first: a completed entry of the same name (its pending one not yet removed) wins.
        for (Path d : List.of(adding, dir)) {
            try (Stream<Path> files = Files.list(d)) {
                files.filter(p -> !p.getFileName().toString().startsWith(".")).forEach(p -> byName.put(p.getFileName().toString(), p));
            } catch (NoSuchFileException e) {
                // nothing stored there yet
            } catch (IOException e) {
                throw new GantryException(ErrorKind.INTERNAL, "CNI cache " + d + ": cannot list: " + e.getMessage(), e);
            }
        }
        List<CachedAttachment> out = new ArrayList<>();
        for (Path f : byName.values()) {
            read(f).ifPresent(out::add);
        }
        return out;
    }

    void remove(String network, String containerId, String ifName) {
        String name = name(network, containerId, ifName);
        for (Path file : List.of(dir.resolve(name), adding.resolve(name))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new GantryException(ErrorKind.INTERNAL, "CNI cache " + file + ": cannot remove: " + e.getMessage(), e);
            }
        }
    }

    private Optional<CachedAttachment> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "CNI cache " + file + ": cannot read: " + e.getMessage(), e);
        }
        ObjectNode entry = CniJson.object(bytes, "CNI cache " + file);
        if (!KIND.equals(CniJson.text(entry, "kind"))) {
            throw GantryException.invalid("CNI cache " + file + ": not a Gantry cache entry");
        }
        NetworkConfigList config = NetworkConfigList.parse(CniJson.bytes(entry.get("config")), "CNI cache " + file);
        Map<String, String> args = new LinkedHashMap<>();
        entry.path("cniArgs").properties().forEach(e -> args.put(e.getKey(), e.getValue().asText()));
        Map<String, JsonNode> caps = new LinkedHashMap<>();
        entry.path("capabilityArgs").properties().forEach(e -> caps.put(e.getKey(), e.getValue()));
        Attachment attachment = new Attachment(CniJson.text(entry, "containerId"), CniJson.text(entry, "netns"),
                CniJson.text(entry, "ifName"), args, caps);
        Optional<Result> result = entry.get("result") instanceof ObjectNode r ? Optional.of(Result.parse(r)) : Optional.empty();
        return Optional.of(new CachedAttachment(config, attachment, result));
    }

    private static String name(String network, String containerId, String ifName) {
        return network + "-" + containerId + "-" + ifName;
    }
}
