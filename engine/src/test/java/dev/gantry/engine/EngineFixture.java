package dev.gantry.engine;

import dev.gantry.cgroups.Cgroups;
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

    Engine open() {
        return Engine.open(root.resolve("engine"), sys, runtime, images, cgroups, warnings::add);
    }
}
