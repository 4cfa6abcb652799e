package dev.gantry.engine;

import dev.gantry.cgroups.Cgroups;
import dev.gantry.engine.net.NetworkDefaults;
import dev.gantry.image.ImageService;
import dev.gantry.image.registry.CredentialStore;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.image.registry.RegistryConfig;
import dev.gantry.oci.image.ContainerConfig;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.helper.HelperBinary;
import dev.gantry.runtime.plan.HostFacts;
import dev.gantry.sys.LinuxSyscalls;
import dev.gantry.sys.Syscalls;
import dev.gantry.testkit.BusyboxRootfs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/** An engine over a temporary root with a busybox image imported as {@code busybox:test}. */
final class EngineFixture {
    static final String IMAGE = "busybox:test";

    final Path root;
    final Syscalls sys = new LinuxSyscalls();
    final ContainerRuntime runtime;
    final ImageService images;
    final Cgroups cgroups = Cgroups.host();
    final List<String> warnings = new CopyOnWriteArrayList<>();

    EngineFixture(Path root) throws IOException, InterruptedException {
        this.root = root;
        HelperBinary helper = HelperBinary.load(sys);
        HostFacts host = HostFacts.probe();
        this.runtime = new ContainerRuntime(sys, root.resolve("runtime"), () -> helper, () -> host, () -> cgroups, warnings::add);
        this.images = ImageService.open(root.resolve("images"),
                new RegistryClient(RegistryClient.defaultHttpClient(), RegistryConfig.DEFAULT, CredentialStore.NONE));
        java.lang.Process tar = new ProcessBuilder("tar", "-C", BusyboxRootfs.shared().toString(), "-cf", "-", ".")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = tar.getInputStream()) {
            images.importRootfs(in, IMAGE, new ContainerConfig(null, null,
                    List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), null, List.of("sh"),
                    null, null, null, null, null, null, null, null));
        }
        if (tar.waitFor() != 0) {
            throw new IOException("tar of the busybox rootfs failed");
        }
    }

    /**
     * Containers get the default bridge network: on a bridge and a subnet of this fixture's own
     * (parallel runs must not share one), deleted when the test JVM exits (a bridge outlives its
     * engine, as docker0 outlives dockerd).
     */
    Engine open() {
        return Engine.open(root.resolve("engine"), sys, runtime, images, cgroups, warnings::add,
                NetworkDefaults.HOST.withBridge(bridge, subnet));
    }

    private final String bridge = "gte" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000, 0x7ffffff));
    private final String subnet = "10." + ThreadLocalRandom.current().nextInt(100, 200) + "." + ThreadLocalRandom.current().nextInt(0, 256)
            + ".0/24";

    {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessBuilder("ip", "link", "delete", bridge).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                // ip is missing: then no bridge was made either
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }
}
