package dev.gantry.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.image.progress.PlainProgress;
import dev.gantry.image.progress.ProgressEvent;
import dev.gantry.image.registry.CredentialStore;
import dev.gantry.image.registry.RegistryClient;
import dev.gantry.image.registry.RegistryConfig;
import dev.gantry.oci.image.ChainId;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.oci.image.MediaType;
import dev.gantry.oci.image.Platform;
import dev.gantry.testkit.LocalRegistry;
import dev.gantry.testkit.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gantry against real peers: Debian's docker-registry on 127.0.0.1 and skopeo. Images are
 * built by the test as OCI layouts and pushed with skopeo; root because pulls unpack layers
 * (ownership, device nodes, trusted xattrs).
 */
@RequiresRoot
class RegistryInteropTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    private static LocalRegistry registry;
    private static TestImages.Built built;
    private static Path layout;

    @BeforeAll
    static void startRegistryAndPushFixture() throws Exception {
        registry = LocalRegistry.start(shared.resolve("registry"), "");
        layout = shared.resolve("layout");
        built = TestImages.busybox(layout, 0, 0);
        Cmd.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":latest",
                "docker://" + registry.host() + "/test/busybox:1");
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    private ImageService service() {
        RegistryClient client = new RegistryClient(RegistryClient.defaultHttpClient(), RegistryConfig.DEFAULT, CredentialStore.NONE);
        return ImageService.open(tmp.resolve("store"), client);
    }

    private String ref(String repoAndTag) {
        return registry.host() + "/" + repoAndTag;
    }

    @Test
    void pullsWhatSkopeoPushed() throws Exception {
        ImageService images = service();
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        LocalImage img = images.pull(ref("test/busybox:1"), new PullOptions(Platform.LINUX_AMD64, events::add));

        assertThat(img.id()).isEqualTo(built.config().digest());
        assertThat(img.record().target().digest()).isEqualTo(built.manifest().digest());
        ImageInspect inspect = images.inspect(ref("test/busybox:1"));
        assertThat(inspect.repoTags()).containsExactly(ref("test/busybox:1"));
        assertThat(inspect.repoDigests()).containsExactly(ref("test/busybox") + "@" + built.manifest().digest());
        assertThat(inspect.config()).isEqualTo(TestImages.CONFIG);
        assertThat(inspect.rootFs().layers()).containsExactlyElementsOf(built.diffIds().stream().map(Digest::toString).toList());
        assertThat(inspect.size()).isGreaterThan(Files.size(Path.of("/bin/busybox")));
        // Config bytes are kept exactly: the image ID is their digest.
        assertThat(Digest.sha256(img.configBytes())).isEqualTo(built.config().digest());
        assertThat(events).anyMatch(e -> e instanceof ProgressEvent.Advanced);
        assertThat(events).anyMatch(e -> e instanceof ProgressEvent.Extracted);

        // The layers are unpacked into snapshots named by chain ID, whiteout and hardlink included.
        List<Digest> chain = ChainId.of(built.diffIds());
        Path base = images.snapshots().layerDir(chain.get(0).toString());
        assertThat(Files.mismatch(base.resolve("bin/busybox"), Path.of("/bin/busybox"))).isEqualTo(-1);
        Path top = images.snapshots().layerDir(chain.get(1).toString());
        assertThat((int) Files.getAttribute(top.resolve("etc/old"), "unix:mode") & 0170000).isEqualTo(0020000);
        assertThat(Files.getAttribute(top.resolve("usr/b"), "unix:ino")).isEqualTo(Files.getAttribute(top.resolve("usr/a"), "unix:ino"));

        assertThat(images.history(ref("test/busybox:1"))).hasSize(2).first()
                .satisfies(h -> assertThat(h.id()).isEqualTo(img.id().toString()));
        assertThat(images.list()).singleElement().satisfies(s -> assertThat(s.labels()).containsEntry("org.example.k", "v"));

        // A second pull finds everything present.
        events.clear();
        images.pull(ref("test/busybox:1"), new PullOptions(Platform.LINUX_AMD64, events::add));
        assertThat(events).allMatch(e -> e instanceof ProgressEvent.Exists);
    }

    @Test
    void concurrentPullsOfOneImageShareTheWork() throws Exception {
        ImageService images = service();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var a = pool.submit(() -> images.pull(ref("test/busybox:1"), PullOptions.DEFAULT));
            var b = pool.submit(() -> images.pull(ref("test/busybox:1"), PullOptions.DEFAULT));
            assertThat(a.get().id()).isEqualTo(b.get().id()).isEqualTo(built.config().digest());
        }
        assertThat(images.list()).hasSize(1);
        assertThat(images.content().ingests()).isEmpty();
        List<String> snaps = new java.util.ArrayList<>();
        images.snapshots().walk(s -> snaps.add(s.name()));
        assertThat(snaps).containsExactlyInAnyOrderElementsOf(ChainId.of(built.diffIds()).stream().map(Digest::toString).toList());
        String json = ImageJson.mapper().writeValueAsString(images.inspect(ref("test/busybox:1")));
        assertThat(json).contains("\"Id\":\"" + built.config().digest(), "\"RootFS\":{\"Type\":\"layers\"",
                "\"StopSignal\":\"SIGUSR1\"", "\"ExposedPorts\":{\"8080/tcp\":{}}");
    }

    @Test
    void pushedImagesReadBackBySkopeoWithIdenticalDigests() throws Exception {
        ImageService images = service();
        images.pull(ref("test/busybox:1"), PullOptions.DEFAULT);
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        Digest pushed = images.push(ref("test/busybox:1"), ref("gantry/mono:v1"), new PushOptions(0, events::add));
        assertThat(pushed).isEqualTo(built.manifest().digest());
        // Same registry, blobs pulled from test/busybox: mounted, not uploaded.
        assertThat(events).anyMatch(e -> e instanceof ProgressEvent.Mounted);

        images.tag(ref("test/busybox:1"), ref("fresh/copy:c"));
        Digest chunked = images.push(ref("fresh/copy:c"), ref("gantry/chunked:v2"), new PushOptions(64 * 1024, e -> { }));
        assertThat(chunked).isEqualTo(built.manifest().digest());

        RegistryClient client = new RegistryClient(RegistryClient.defaultHttpClient(), RegistryConfig.DEFAULT, CredentialStore.NONE);
        client.ping(registry.host());
        assertThat(client.tags(Reference.parse(ref("gantry/mono")))).containsExactly("v1");
        for (String repo : List.of("gantry/mono:v1", "gantry/chunked:v2")) {
            JsonNode info = ImageJson.mapper().readTree(Cmd.run("skopeo", "inspect", "--tls-verify=false", "docker://" + ref(repo)));
            assertThat(info.get("Digest").asText()).isEqualTo(built.manifest().digest().toString());
            Path out = tmp.resolve("copy-" + repo.replace('/', '-').replace(':', '-'));
            Cmd.run("skopeo", "copy", "--src-tls-verify=false", "docker://" + ref(repo), "oci:" + out + ":x");
            JsonNode index = ImageJson.mapper().readTree(out.resolve("index.json").toFile());
            assertThat(index.path("manifests").path(0).path("digest").asText()).isEqualTo(built.manifest().digest().toString());
        }
    }

    @Test
    void pushesAnImportedImageThatSkopeoCopies() throws Exception {
        ImageService images = service();
        byte[] rootfs = TestImages.tar(w -> TestImages.file(w, "hello.txt", "imported".getBytes(StandardCharsets.UTF_8), 0644));
        LocalImage img = images.importRootfs(new java.io.ByteArrayInputStream(rootfs), "imported/one:latest", TestImages.CONFIG);
        Digest pushed = images.push("imported/one:latest", ref("gantry/imported:1"), PushOptions.DEFAULT);
        String raw = Cmd.run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref("gantry/imported:1"));
        assertThat(ImageJson.mapper().readTree(raw).path("config").path("digest").asText()).isEqualTo(img.id().toString());
        // The registry serves the manifest bytes Gantry wrote: same digest end to end.
        assertThat(Digest.sha256(raw)).isEqualTo(pushed);
        assertThat(pushed).isEqualTo(img.record().target().digest());
    }

    @Test
    void loadsADockerArchiveWrittenBySkopeo() throws Exception {
        Path archive = tmp.resolve("docker.tar");
        Cmd.run("skopeo", "copy", "oci:" + layout + ":latest", "docker-archive:" + archive + ":example/loaded:v1");
        ImageService images = service();
        try (var in = Files.newInputStream(archive)) {
            assertThat(images.load(in)).containsExactly("example/loaded:v1");
        }
        LocalImage img = images.resolve("example/loaded:v1");
        assertThat(img.id()).isEqualTo(built.config().digest());
        assertThat(img.manifest().layers()).allMatch(l -> l.mediaType().equals(MediaType.OCI_LAYER));
        assertThat(images.inspect("example/loaded:v1").config()).isEqualTo(TestImages.CONFIG);
        assertThat(images.snapshots().exists(ChainId.of(built.diffIds()).getLast().toString())).isTrue();
    }

    @Test
    void saveOutputIsAcceptedBySkopeoAndLoadsBack() throws Exception {
        ImageService images = service();
        images.pull(ref("test/busybox:1"), PullOptions.DEFAULT);
        images.tag(ref("test/busybox:1"), "saved/busybox:s");

        Path docker = tmp.resolve("saved-docker.tar");
        try (OutputStream out = Files.newOutputStream(docker)) {
            images.save(List.of("saved/busybox:s"), ArchiveFormat.DOCKER, out);
        }
        JsonNode d = ImageJson.mapper().readTree(Cmd.run("skopeo", "inspect", "docker-archive:" + docker));
        assertThat(d.get("Layers")).hasSize(2);
        JsonNode dc = ImageJson.mapper().readTree(Cmd.run("skopeo", "inspect", "--config", "--raw", "docker-archive:" + docker));
        assertThat(dc.path("config").path("StopSignal").asText()).isEqualTo("SIGUSR1");

        Path oci = tmp.resolve("saved-oci.tar");
        try (OutputStream out = Files.newOutputStream(oci)) {
            images.save(List.of("saved/busybox:s"), ArchiveFormat.OCI, out);
        }
        JsonNode o = ImageJson.mapper().readTree(Cmd.run("skopeo", "inspect", "oci-archive:" + oci));
        assertThat(o.get("Digest").asText()).isEqualTo(built.manifest().digest().toString());

        ImageService other = ImageService.open(tmp.resolve("other"), new RegistryClient(RegistryClient.defaultHttpClient(),
                RegistryConfig.DEFAULT, CredentialStore.NONE));
        try (var in = Files.newInputStream(docker)) {
            assertThat(other.load(in)).containsExactly("saved/busybox:s");
        }
        try (var in = Files.newInputStream(oci)) {
            assertThat(other.load(in)).containsExactly("saved/busybox:s");
        }
        assertThat(other.resolve("saved/busybox:s").id()).isEqualTo(built.config().digest());
    }

    @Test
    void refusesMissingTagsAndRepositoriesLeavingTheStoreEmpty() {
        ImageService images = service();
        assertThatThrownBy(() -> images.pull(ref("test/busybox:nope"), PullOptions.DEFAULT))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> images.pull(ref("no/such:1"), PullOptions.DEFAULT))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> images.pull("Bad Reference", PullOptions.DEFAULT)).isInstanceOf(GantryException.class);
        assertThat(images.list()).isEmpty();
        List<Object> blobs = new java.util.ArrayList<>();
        images.content().walk(blobs::add);
        assertThat(blobs).isEmpty();
    }

    @Test
    void removeRespectsContainersAndPruneFreesEverything() throws Exception {
        ImageService images = service();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalImage img = images.pull(ref("test/busybox:1"), new PullOptions(Platform.LINUX_AMD64,
                new PlainProgress(new PrintStream(log, true, StandardCharsets.UTF_8))));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains(": complete", ": extracted");
        images.tag(ref("test/busybox:1"), "other:name");
        assertThatThrownBy(() -> images.remove(img.id().hex().substring(0, 12), false, id -> false))
                .hasMessageContaining("referenced by 2 names");
        assertThat(images.remove("other:name", false, id -> true)).containsExactly(new RemovedImage("other:name", null));
        assertThatThrownBy(() -> images.remove(ref("test/busybox:1"), false, id -> id.equals(img.id())))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("being used by a container");
        assertThat(images.remove(ref("test/busybox:1"), true, id -> true)).contains(new RemovedImage(null, img.id().toString()));
        List<String> snaps = new java.util.ArrayList<>();
        images.snapshots().walk(s -> snaps.add(s.name()));
        assertThat(snaps).isEmpty();
        PruneReport report = images.prune(false, id -> false);
        assertThat(report.spaceReclaimed()).isGreaterThan(0);
        List<Object> blobs = new java.util.ArrayList<>();
        images.content().walk(blobs::add);
        assertThat(blobs).isEmpty();
    }

    @Test
    void commitsAContainerLayerIntoANewImage() throws Exception {
        ImageService images = service();
        images.pull(ref("test/busybox:1"), PullOptions.DEFAULT);
        String top = ChainId.of(built.diffIds()).getLast().toString();
        dev.gantry.sys.Syscalls fs = new dev.gantry.sys.LinuxSyscalls();
        dev.gantry.snapshot.Mounter mounter = new dev.gantry.snapshot.Mounter(fs);
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        mounter.mount(images.snapshots().prepare("ctr-1", top), rootfs);
        try {
            Files.writeString(rootfs.resolve("etc/motd"), "committed\n");
            Files.delete(rootfs.resolve("etc/hello"));
        } finally {
            mounter.unmount(rootfs);
        }
        dev.gantry.oci.image.ContainerConfig cmd = new dev.gantry.oci.image.ContainerConfig(null, null, null, null,
                List.of("cat", "/etc/motd"), null, null, null, null, null, null, null, null);
        LocalImage img = images.commit("ctr-1", ref("test/busybox:1"), "committed/img:1", cmd, "from a test");
        images.snapshots().remove("ctr-1");

        assertThat(img.config().diffIds()).hasSize(3).startsWith(built.diffIds().toArray(new Digest[0]));
        assertThat(images.inspect("committed/img:1").config().cmd()).containsExactly("cat", "/etc/motd");
        assertThat(ImageJson.mapper().readTree(img.configBytes()).path("author").asText()).isEqualTo("gantry tests");
        assertThat(images.history("committed/img:1").getFirst().comment()).isEqualTo("from a test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        images.exportRootfs("committed/img:1", out);
        List<String> names = new java.util.ArrayList<>();
        var r = new dev.gantry.snapshot.tar.TarReader(new java.io.ByteArrayInputStream(out.toByteArray()));
        for (var e = r.next(); e != null; e = r.next()) {
            names.add(e.name());
        }
        assertThat(names).contains("etc/motd", "bin/busybox").doesNotContain("etc/hello", "etc/.wh.hello");

        Digest pushed = images.push("committed/img:1", ref("gantry/committed:1"), PushOptions.DEFAULT);
        JsonNode info = ImageJson.mapper().readTree(Cmd.run("skopeo", "inspect", "--tls-verify=false",
                "docker://" + ref("gantry/committed:1")));
        assertThat(info.get("Digest").asText()).isEqualTo(pushed.toString());
        assertThat(info.get("Layers")).hasSize(3);
    }

    @Test
    void exportsTheFlattenedRootfs() throws Exception {
        ImageService images = service();
        images.pull(ref("test/busybox:1"), PullOptions.DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        images.exportRootfs(ref("test/busybox:1"), out);
        List<String> names = new java.util.ArrayList<>();
        var r = new dev.gantry.snapshot.tar.TarReader(new java.io.ByteArrayInputStream(out.toByteArray()));
        for (var e = r.next(); e != null; e = r.next()) {
            names.add(e.name());
        }
        assertThat(names).contains("bin/busybox", "etc/hello", "usr/b").doesNotContain("etc/old", "etc/.wh.old");
        assertThat(java.nio.file.Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain("gantry-export");
    }
}
