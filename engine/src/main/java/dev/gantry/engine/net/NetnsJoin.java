package dev.gantry.engine.net;

import dev.gantry.oci.runtime.Linux;
import dev.gantry.oci.runtime.LinuxNamespace;
import dev.gantry.oci.runtime.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec enters an existing network namespace instead of creating one: the other container's
 * (mode {@code container:<id>}), or the one the engine made for the container (see {@link Attaching}).
 */
public final class NetnsJoin {
    private NetnsJoin() {}

    public static Spec apply(Spec spec, Path netns, String hostname) {
        Linux l = spec.linuxOrEmpty();
        List<LinuxNamespace> ns = new ArrayList<>();
        for (LinuxNamespace n : l.namespaces() == null ? List.<LinuxNamespace>of() : l.namespaces()) {
            if (!n.type().equals("network")) {
                ns.add(n);
            }
        }
        ns.add(new LinuxNamespace("network", netns.toString()));
        Linux joined = new Linux(l.uidMappings(), l.gidMappings(), l.sysctl(), l.resources(), l.cgroupsPath(), ns, l.devices(),
                l.seccomp(), l.rootfsPropagation(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel(), l.intelRdt(),
                l.personality(), l.timeOffsets(), l.netDevices(), l.memoryPolicy());
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), hostname, spec.domainname(), spec.mounts(), spec.hooks(),
                spec.annotations(), joined);
    }
}
