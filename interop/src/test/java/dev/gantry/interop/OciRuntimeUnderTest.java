package dev.gantry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * An OCI runtime binary that a peer (podman, dockerd) is told to use. {@code name} labels the
 * test case and is the runtime's name in dockerd's {@code runtimes} map.
 */
record OciRuntimeUnderTest(String name, Path binary) {

    /** Debian's runc: the reference that validates each test before it judges gantry-runc. */
    static OciRuntimeUnderTest runc() {
        Path sbin = Path.of("/usr/sbin/runc");
        return new OciRuntimeUnderTest("interop-runc", Files.isExecutable(sbin) ? sbin : Path.of("/usr/bin/runc"));
    }

    /** The launcher runtime-cli builds; the interop pom passes its path as {@code gantry.runc}. */
    static OciRuntimeUnderTest gantry() {
        String launcher = System.getProperty("gantry.runc", "runtime-cli/target/gantry-runc");
        return new OciRuntimeUnderTest("gantry", Path.of(launcher).toAbsolutePath().normalize());
    }

    static Stream<OciRuntimeUnderTest> all() {
        return Stream.of(runc(), gantry());
    }

    /** Fails the test, naming the path, when the binary was not built or installed. */
    OciRuntimeUnderTest requireExecutable() {
        assertThat(Files.isExecutable(binary))
                .as("runtime %s is not an executable at %s (gantry-runc is built by ./mvnw package in runtime-cli)", name, binary)
                .isTrue();
        return this;
    }

    @Override
    public String toString() {
        return name;
    }
}
