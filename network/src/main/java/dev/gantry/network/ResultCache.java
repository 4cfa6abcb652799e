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
 * has the configuration and result it needs after a daemon restart. Files are replaced by
 * rename, so a crash leaves either the old or the new entry, never half of one.
 */
final class ResultCache {
    private static final String KIND = "gantryCniCacheV1";
    private final Path dir;

    ResultCache(Path cacheDir) {
        this.dir = cacheDir.resolve("results");
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
        Path file = file(config.name(), attachment.containerId(), attachment.ifName());
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", "");
            Files.write(tmp, CniJson.bytes(entry));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "CNI cache " + file + ": cannot write: " + e.getMessage(), e);
        }
    }

    Optional<CachedAttachment> load(String network, String containerId, String ifName) {
        return read(file(network, containerId, ifName));
    }

    List<CachedAttachment> all() {
        List<CachedAttachment> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                read(f).ifPresent(out::add);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "CNI cache " + dir + ": cannot list: " + e.getMessage(), e);
        }
        return out;
    }

    void remove(String network, String containerId, String ifName) {
        Path file = file(network, containerId, ifName);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new GantryException(ErrorKind.INTERNAL, "CNI cache " + file + ": cannot remove: " + e.getMessage(), e);
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

    private Path file(String network, String containerId, String ifName) {
        return dir.resolve(network + "-" + containerId + "-" + ifName);
    }
}
