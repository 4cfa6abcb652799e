package dev.gantry.engine.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gantry.base.GantryException;
import dev.gantry.engine.EventBus;
import dev.gantry.engine.internal.Ids;
import dev.gantry.network.Attachment;
import dev.gantry.network.AttachmentId;
import dev.gantry.network.CachedAttachment;
import dev.gantry.network.CniRuntime;
import dev.gantry.network.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Endpoints as CNI sees them: ADD of one container to one network, DEL of what the CNI cache
 * holds for it.
 *
 * <p>Vocabulary. An <em>endpoint</em> is one attachment of a running container to one network,
 * a veth whose container end is {@code eth<n>}. A <em>cached attachment</em> is CNI's record of
 * one (configuration and result), kept from before its first plugin ran until its DEL succeeded;
 * DEL runs from it, whatever the network has become since. The container's namespace is
 * <em>pinned</em> while {@link NetnsMounts} holds its file.
 */
final class CniEndpoints {
    private final CniRuntime cni;
    private final NetnsMounts netns;
    private final Path ipam;
    private final EventBus events;

    /** @param ipam the directory of host-local's leases, one subdirectory per network */
    CniEndpoints(CniRuntime cni, NetnsMounts netns, Path ipam, EventBus events) {
        this.cni = cni;
        this.netns = netns;
        this.ipam = ipam;
        this.events = events;
    }

    /**
     * CNI ADD of the container to the network in namespace {@code ns} as interface {@code ifName},
     * publishing {@code ports} (portmap only runs when there are some).
     *
     * @param forwardFiltered the host's FORWARD chain may drop: the firewall plugin runs
     */
    Endpoint add(String id, Path ns, NetworkRecord n, String ifName, NetworkOptions.EndpointRequest req, List<PortMapping> ports,
                 boolean forwardFiltered) {
        Map<String, String> args = new LinkedHashMap<>();
        // Plugins refuse CNI_ARGS keys they do not know unless IgnoreUnknown is set (CNI conventions).
        args.put("IgnoreUnknown", "1");
        if (req.ipv4Address() != null) {
            args.put("IP", req.ipv4Address());
        }
        Map<String, JsonNode> capabilities = new LinkedHashMap<>();
        if (!ports.isEmpty()) {
            ArrayNode mappings = JsonNodeFactory.instance.arrayNode();
            for (PortMapping p : ports) {
                var m = mappings.addObject().put("hostPort", p.hostPort()).put("containerPort", p.containerPort())
                        .put("protocol", p.protocol());
                if (!p.hostIp().isEmpty()) {
                    m.put("hostIP", p.hostIp());
                }
            }
            capabilities.put("portMappings", mappings);
        }
        Result r = cni.add(Conflists.bridge(n, ipam, !ports.isEmpty(), forwardFiltered), new Attachment(id, ns.toString(), ifName, args, capabilities));
        String address = "";
        int prefix = 0;
        String mac = "";
        for (Result.IpConfig ip : r.ips()) {
            Integer idx = ip.interfaceIndex();
            if (idx != null && idx < r.interfaces().size() && r.interfaces().get(idx).sandbox() == null) {
                continue;
            }
            String[] parts = ip.address().split("/");
            if (!Ipv4.isAddress(parts[0])) {
                continue;
            }
            address = parts[0];
            prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
            if (idx != null && idx < r.interfaces().size()) {
                mac = r.interfaces().get(idx).mac();
            }
            break;
        }
        events.publish("network", "connect", n.id(), Map.of("name", n.name(), "type", "bridge", "container", id));
        return new Endpoint(n.id(), n.name(), Ids.random(), ifName, address, prefix, n.gateway(), mac == null ? "" : mac,
                req.aliases());
    }

    /** The cached attachment of the container's interface {@code ifName} on the network, if CNI holds one. */
    Optional<CachedAttachment> cached(NetworkRecord n, String id, String ifName) {
        return cni.cached(Conflists.cniName(n), new AttachmentId(id, ifName));
    }

    /** The ids of the containers with cached attachments, once per attachment. */
    List<String> attachedContainers() {
        return cni.cachedAttachments().stream().map(a -> a.attachment().containerId()).toList();
    }

    /** CNI DEL of a cached attachment, in the container's namespace while it is {@code pinned}. */
    void delete(CachedAttachment a, boolean pinned) {
        Attachment att = a.attachment();
        if (!pinned) {
            // The namespace is gone (the host rebooted, or the pin was never made): DEL without
            // one still releases the lease and the port mappings (SPEC.md: CNI_NETNS may be empty on DEL).
            att = new Attachment(att.containerId(), "", att.ifName(), att.args(), att.capabilityArgs());
        }
        cni.del(a.config(), att);
    }

    /**
     * CNI DEL of every cached attachment of the container, then its pin goes; the pin stays when
     * a DEL failed (the first failure is thrown, the others suppressed in it).
     */
    void release(String id) {
        List<GantryException> errors = new ArrayList<>();
        List<CachedAttachment> mine = cni.cachedAttachments().stream().filter(a -> a.attachment().containerId().equals(id)).toList();
        boolean pinned = netns.isBound(id);
        for (CachedAttachment a : mine) {
            try {
                delete(a, pinned);
            } catch (GantryException e) {
                errors.add(e);
            }
        }
        if (!errors.isEmpty()) {
            GantryException first = errors.getFirst();
            errors.subList(1, errors.size()).forEach(first::addSuppressed);
            throw first;
        }
        netns.release(id);
    }
}
