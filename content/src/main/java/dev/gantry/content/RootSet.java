package dev.gantry.content;

import dev.gantry.oci.image.Descriptor;
import java.util.Collection;

/**
 * A source of garbage-collection roots: content someone still needs. The image store offers
 * its images' targets, the lease manager the resources of live leases (containers, pulls in
 * flight). Everything a root manifest or index references is kept too.
 */
@FunctionalInterface
public interface RootSet {
    Collection<Descriptor> roots();
}
