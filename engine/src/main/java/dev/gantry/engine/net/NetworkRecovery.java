package dev.gantry.engine.net;

import dev.gantry.base.GantryException;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What an engine start does about the networking an earlier engine left, once it knows which
 * containers still run: the earlier one may have been killed ({@code kill -9}) at any point,
 * during a start or a release included.
 *
 * <p>Vocabulary. A <em>live</em> container is one whose init still runs (the engine adopted
 * it). A <em>stale</em> container is any other that still has something on a network: a cached
 * attachment, a namespace pin or endpoints in its record. A pin is <em>stray</em> when its
 * container is not live.
 */
final class NetworkRecovery {
    private final Supplier<ContainerLookup> lookup;
    private final NetworkCatalogue catalogue;
    private final ContainerRecords records;
    private final ContainerAttachments attachments;
    private final CniEndpoints cni;
    private final NetnsMounts netns;
    private final NetworkAnnouncer announcer;
    private final Consumer<String> warn;

    NetworkRecovery(Supplier<ContainerLookup> lookup, NetworkCatalogue catalogue, ContainerRecords records, ContainerAttachments attachments,
                    CniEndpoints cni, NetnsMounts netns, NetworkAnnouncer announcer, Consumer<String> warn) {
        this.lookup = lookup;
        this.catalogue = catalogue;
        this.records = records;
        this.attachments = attachments;
        this.cni = cni;
        this.netns = netns;
        this.announcer = announcer;
        this.warn = warn;
    }

    /** As {@link NetworkService#collect}. */
    void collect(Collection<String> running) {
        Set<String> live = Set.copyOf(running);
        repin(live);
        Set<String> stale = new TreeSet<>();
        cni.attachedContainers().stream().filter(cid -> !live.contains(cid)).forEach(stale::add);
        netns.ids().stream().filter(cid -> !live.contains(cid)).forEach(stale::add);
        stale.addAll(records.attachedBesides(live));
        for (String cid : stale) {
            try {
                attachments.forgetEndpoints(cid, true);
                cni.release(cid);
            } catch (GantryException e) {
                warn.accept("releasing the network of container " + cid + ": " + e.getMessage());
            }
        }
        records.retain(this::lookupKnows);
        for (NetworkRecord n : catalogue.list()) {
            announcer.announce(n);
        }
    }

    /**
     * A running container whose namespace pin is gone (the previous engine ran in a mount
     * namespace of its own, which died with it) is pinned again from its init, so that its DEL
     * still finds the interface and removes the masquerade rules with it.
     */
    private void repin(Set<String> live) {
        Set<String> attached = new TreeSet<>();
        cni.attachedContainers().stream().filter(live::contains).forEach(attached::add);
        for (String cid : attached) {
            if (netns.isBound(cid)) {
                continue;
            }
            var pid = lookup.get().runningPid(cid);
            if (pid.isPresent()) {
                try {
                    netns.bind(cid, pid.getAsInt());
                } catch (RuntimeException e) {
                    warn.accept("pinning the network namespace of container " + cid + " again: " + e.getMessage());
                }
            }
        }
    }

    private boolean lookupKnows(String id) {
        try {
            lookup.get().resolve(id);
            return true;
        } catch (GantryException e) {
            return false;
        }
    }
}
