package dev.gantry.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * A CNI runtime (SPEC.md section 3): executes the plugin chain of a network configuration list
 * for an attachment. ADD runs the plugins in order, each given the previous one's result;
 * DEL runs them in reverse with the cached final ADD result; CHECK runs them in order with it.
 * Every attachment is recorded under the cache directory before its first plugin runs, so a DEL
 * after a crash or daemon restart has the configuration and parameters it needs.
 *
 * <p>Operations on the same container are serialised; GC waits for every ADD and DEL to finish
 * and holds them off while it runs (SPEC.md "Lifecycle &amp; Ordering").
 */
public final class CniRuntime {
    private static final String GC_STATUS_VERSION = "1.1.0";
    private final List<Path> pluginDirs;
    private final ResultCache cache;
    private final PluginExecutor executor;
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
    private final ReentrantLock[] containerLocks = new ReentrantLock[64];

    public CniRuntime(List<Path> pluginDirs, Path cacheDir, PluginExecutor executor) {
        if (pluginDirs.isEmpty()) {
            throw GantryException.invalid("pluginDirs: at least one directory is needed");
        }
        this.pluginDirs = List.copyOf(pluginDirs);
        this.cache = new ResultCache(cacheDir);
        this.executor = executor;
        for (int i = 0; i < containerLocks.length; i++) {
            containerLocks[i] = new ReentrantLock();
        }
    }

    /** A runtime whose plugins run as child processes killed after {@code pluginTimeout}. */
    public CniRuntime(List<Path> pluginDirs, Path cacheDir, Duration pluginTimeout) {
        this(pluginDirs, cacheDir, new ProcessPluginExecutor(pluginTimeout));
    }

    /**
     * Adds the attachment to the network. Every plugin binary is looked up before any runs; if a
     * plugin fails, DEL runs for it and the plugins before it (in reverse), so nothing is left
     * half-configured, and the error names the failing plugin.
     *
     * @throws GantryException ALREADY_EXISTS when the cache holds the attachment (added, or an
     *     ADD interrupted by a crash): DEL it first
     *
     * @return the final plugin's result
     */
    public Result add(NetworkConfigList list, Attachment attachment) {
        return underContainerLock(attachment, () -> {
            String version = list.selectedVersion();
            List<Path> binaries = locateAll(list);
            if (cache.load(list.name(), attachment.containerId(), attachment.ifName()).isPresent()) {
                throw new GantryException(ErrorKind.ALREADY_EXISTS, "container " + attachment.containerId() + " interface "
                        + attachment.ifName() + " is already attached to network " + list.name() + "; DEL it first");
            }
            cache.store(list, attachment, null);
            ObjectNode prev = null;
            for (int i = 0; i < list.plugins().size(); i++) {
                PluginConfig plugin = list.plugins().get(i);
                try {
                    prev = resultOf(invoke("ADD", binaries.get(i), list, plugin, version, prev, attachment), plugin, list);
                } catch (GantryException failure) {
                    rollBack(list, attachment, binaries, version, i, prev, failure);
                    throw failure;
                }
            }
            cache.store(list, attachment, prev);
            return Result.parse(prev);
        });
    }

    /**
     * Removes the attachment from the network: the plugins run in reverse order, each given the
     * cached final ADD result (none when ADD never completed). The cache entry goes once every
     * plugin succeeded; DEL of an attachment that is not there succeeds (plugins treat it so).
     */
    public void del(NetworkConfigList list, Attachment attachment) {
        underContainerLock(attachment, () -> {
            Optional<Result> cached = cache.load(list.name(), attachment.containerId(), attachment.ifName())
                    .flatMap(CachedAttachment::result);
            deleteChain(list, attachment, locateAll(list), list.selectedVersion(), list.plugins().size() - 1, 0,
                    cached.map(Result::raw).orElse(null));
            cache.remove(list.name(), attachment.containerId(), attachment.ifName());
            return null;
        });
    }

    /**
     * Removes an attachment knowing only its network name and identity, from what the cache
     * holds (after a daemon restart the caller may have nothing else).
     *
     * @return false when the cache holds no such attachment (nothing to do)
     */
    public boolean del(String network, AttachmentId id) {
        Optional<CachedAttachment> entry = cache.load(network, id.containerId(), id.ifName());
        entry.ifPresent(e -> del(e.config(), e.attachment()));
        return entry.isPresent();
    }

    /**
     * Asks every plugin whether the attachment is still as ADD left it. Does nothing when the
     * list sets {@code disableCheck}.
     *
     * @throws GantryException NOT_FOUND when no completed ADD is cached for the attachment,
     *     UNAVAILABLE when the list's version predates CHECK (0.4.0), or the first plugin's error
     */
    public void check(NetworkConfigList list, Attachment attachment) {
        if (list.disableCheck()) {
            return;
        }
        String version = list.selectedVersion();
        if (!NetworkConfigList.atLeast(version, "0.4.0")) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "CHECK of network " + list.name() + ": needs CNI 0.4.0, the list speaks " + version);
        }
        underContainerLock(attachment, () -> {
            Result cached = cache.load(list.name(), attachment.containerId(), attachment.ifName())
                    .flatMap(CachedAttachment::result)
                    .orElseThrow(() -> GantryException.notFound("CHECK of network " + list.name() + ": no completed ADD cached for container "
                            + attachment.containerId() + " interface " + attachment.ifName()));
            List<Path> binaries = locateAll(list);
            for (int i = 0; i < list.plugins().size(); i++) {
                PluginConfig plugin = list.plugins().get(i);
                expectSuccess(invoke("CHECK", binaries.get(i), list, plugin, version, cached.raw(), attachment), plugin, list, "CHECK");
            }
            return null;
        });
    }

    /** Every attachment the cache holds, for cleanup after a restart. */
    public List<CachedAttachment> cachedAttachments() {
        return cache.all();
    }

    /** The cached attachment of {@code network} with identity {@code id}, if any. */
    public Optional<CachedAttachment> cached(String network, AttachmentId id) {
        return cache.load(network, id.containerId(), id.ifName());
    }

    /** Asks plugin {@code type} which CNI versions it supports (VERSION). */
    public PluginVersions version(String type) {
        PluginConfig plugin = new PluginConfig(type, CniJson.MAPPER.createObjectNode().put("type", type));
        Path binary = locate(plugin, "version probe");
        ObjectNode request = CniJson.MAPPER.createObjectNode().put("cniVersion", "0.1.0");
        PluginExecutor.Outcome outcome = executor.run(binary, Map.of("CNI_COMMAND", "VERSION", "CNI_PATH", cniPath()),
                CniJson.bytes(request));
        ObjectNode answer = answerOf(outcome, plugin, "version probe", "VERSION");
        List<String> supported = new ArrayList<>();
        answer.path("supportedVersions").forEach(v -> supported.add(v.asText()));
        return new PluginVersions(CniJson.text(answer, "cniVersion"), supported);
    }

    /**
     * Lets every plugin of the network remove resources of attachments not in {@code valid}
     * (GC, CNI 1.1.0). Every plugin runs even when one fails; the errors are reported together.
     * Does nothing when the list sets {@code disableGC}.
     *
     * @throws GantryException UNAVAILABLE when the list or a plugin does not speak CNI 1.1.0
     */
    public void gc(NetworkConfigList list, Collection<AttachmentId> valid) {
        if (list.disableGC()) {
            return;
        }
        List<Path> binaries = requireVersion(list, "GC");
        gcLock.writeLock().lock();
        try {
            ArrayNode attachments = CniJson.MAPPER.createArrayNode();
            valid.forEach(a -> attachments.addObject().put("containerID", a.containerId()).put("ifname", a.ifName()));
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < list.plugins().size(); i++) {
                PluginConfig plugin = list.plugins().get(i);
                ObjectNode request = baseRequest(list, plugin, GC_STATUS_VERSION);
                request.set("cni.dev/valid-attachments", attachments);
                try {
                    expectSuccess(executor.run(binaries.get(i), Map.of("CNI_COMMAND", "GC", "CNI_PATH", cniPath()),
                            CniJson.bytes(request)), plugin, list, "GC");
                } catch (GantryException e) {
                    errors.add(e.getMessage());
                }
            }
            if (!errors.isEmpty()) {
                throw new GantryException(ErrorKind.INTERNAL, String.join("; ", errors));
            }
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    /**
     * Asks every plugin of the network whether it can service ADD (STATUS, CNI 1.1.0).
     *
     * @throws GantryException UNAVAILABLE when a plugin says it cannot, or when the list or a
     *     plugin does not speak CNI 1.1.0
     */
    public void status(NetworkConfigList list) {
        List<Path> binaries = requireVersion(list, "STATUS");
        for (int i = 0; i < list.plugins().size(); i++) {
            PluginConfig plugin = list.plugins().get(i);
            expectSuccess(executor.run(binaries.get(i), Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", cniPath()),
                    CniJson.bytes(baseRequest(list, plugin, GC_STATUS_VERSION))), plugin, list, "STATUS");
        }
    }

    private List<Path> requireVersion(NetworkConfigList list, String command) {
        if (!NetworkConfigList.atLeast(list.selectedVersion(), GC_STATUS_VERSION)) {
            throw new GantryException(ErrorKind.UNAVAILABLE, command + " of network " + list.name() + ": needs CNI "
                    + GC_STATUS_VERSION + ", the list speaks " + list.selectedVersion());
        }
        List<Path> binaries = locateAll(list);
        for (PluginConfig plugin : list.plugins()) {
            PluginVersions versions = version(plugin.type());
            if (!versions.supports(GC_STATUS_VERSION)) {
                throw new GantryException(ErrorKind.UNAVAILABLE, command + " of network " + list.name() + ": plugin " + plugin.type()
                        + " supports CNI " + versions.supportedVersions() + ", not " + GC_STATUS_VERSION);
            }
        }
        return binaries;
    }

    private void rollBack(NetworkConfigList list, Attachment attachment, List<Path> binaries, String version, int failed,
                          ObjectNode lastResult, GantryException failure) {
        try {
            deleteChain(list, attachment, binaries, version, failed, failed, lastResult);
        } catch (GantryException e) {
            // A plugin undoes its own failed ADD (bridge and host-local do); this DEL is for those
            // that do not, and it fails where the ADD did when the configuration itself is bad.
            failure.addSuppressed(e);
        }
        try {
            deleteChain(list, attachment, binaries, version, failed - 1, 0, lastResult);
            cache.remove(list.name(), attachment.containerId(), attachment.ifName());
        } catch (GantryException e) {
            // The cache entry stays, so a later DEL (or the daemon's restart cleanup) retries.
            failure.addSuppressed(e);
        }
    }

    private void deleteChain(NetworkConfigList list, Attachment attachment, List<Path> binaries, String version, int from,
                             int to, ObjectNode prevResult) {
        for (int i = from; i >= to; i--) {
            PluginConfig plugin = list.plugins().get(i);
            expectSuccess(invoke("DEL", binaries.get(i), list, plugin, version, prevResult, attachment), plugin, list, "DEL");
        }
    }

    private PluginExecutor.Outcome invoke(String command, Path binary, NetworkConfigList list, PluginConfig plugin,
                                          String version, ObjectNode prevResult, Attachment attachment) {
        ObjectNode request = baseRequest(list, plugin, version);
        ObjectNode runtimeConfig = CniJson.MAPPER.createObjectNode();
        for (String capability : plugin.capabilities()) {
            JsonNode value = attachment.capabilityArgs().get(capability);
            if (value != null) {
                runtimeConfig.set(capability, value);
            }
        }
        if (!runtimeConfig.isEmpty()) {
            request.set("runtimeConfig", runtimeConfig);
        }
        if (prevResult != null) {
            request.set("prevResult", prevResult);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", attachment.containerId());
        env.put("CNI_NETNS", attachment.netnsPath() == null ? "" : attachment.netnsPath());
        env.put("CNI_IFNAME", attachment.ifName());
        env.put("CNI_ARGS", attachment.cniArgs());
        env.put("CNI_PATH", cniPath());
        return executor.run(binary, env, CniJson.bytes(request));
    }

    /** The request configuration of SPEC.md "Deriving request configuration": version and name inserted, protocol-only keys removed. */
    private static ObjectNode baseRequest(NetworkConfigList list, PluginConfig plugin, String version) {
        ObjectNode request = plugin.raw();
        request.put("cniVersion", version);
        request.put("name", list.name());
        request.remove("capabilities");
        request.remove("runtimeConfig");
        request.remove("prevResult");
        List<String> reserved = new ArrayList<>();
        request.fieldNames().forEachRemaining(f -> {
            if (f.startsWith("cni.dev/")) {
                reserved.add(f);
            }
        });
        request.remove(reserved);
        return request;
    }

    private static ObjectNode resultOf(PluginExecutor.Outcome outcome, PluginConfig plugin, NetworkConfigList list) {
        return answerOf(outcome, plugin, "network " + list.name(), "ADD");
    }

    private static void expectSuccess(PluginExecutor.Outcome outcome, PluginConfig plugin, NetworkConfigList list, String command) {
        if (outcome.exitCode() != 0) {
            throw PluginError.of(outcome, plugin.type(), "network " + list.name(), command);
        }
    }

    private static ObjectNode answerOf(PluginExecutor.Outcome outcome, PluginConfig plugin, String context, String command) {
        if (outcome.exitCode() != 0) {
            throw PluginError.of(outcome, plugin.type(), context, command);
        }
        try {
            return CniJson.object(outcome.stdout(), "CNI plugin " + plugin.type() + " " + command + " result");
        } catch (GantryException e) {
            throw new GantryException(ErrorKind.INTERNAL, e.getMessage());
        }
    }

    private List<Path> locateAll(NetworkConfigList list) {
        return list.plugins().stream().map(p -> locate(p, "network " + list.name())).toList();
    }

    private Path locate(PluginConfig plugin, String context) {
        for (Path dir : pluginDirs) {
            Path candidate = dir.resolve(plugin.type());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw GantryException.notFound("CNI plugin " + plugin.type() + " of " + context + ": no executable in " + cniPath());
    }

    private String cniPath() {
        return pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    private <T> T underContainerLock(Attachment attachment, java.util.function.Supplier<T> action) {
        ReentrantLock lock = containerLocks[Math.floorMod(attachment.containerId().hashCode(), containerLocks.length)];
        gcLock.readLock().lock();
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
            gcLock.readLock().unlock();
        }
    }
}
