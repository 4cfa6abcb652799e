package dev.gantry.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestDocumentTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    @Test
    void parsesDockerSchema2Manifest() {
        String json = """
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7,"digest":"%s"},
             "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":9,"digest":"%s"}],
             "futureField":{"x":1}}""".formatted(D1, D2);
        ManifestDocument doc = ManifestDocument.parse(json.getBytes(StandardCharsets.UTF_8), null);
        assertThat(doc).isInstanceOf(ImageManifest.class);
        ImageManifest m = (ImageManifest) doc;
        assertThat(m.config().digest()).isEqualTo(Digest.parse(D1));
        assertThat(m.layers()).singleElement().extracting(Descriptor::size).isEqualTo(9L);
    }

    @Test
    void infersOciIndexWithoutMediaTypeAndSelectsPlatform() {
        String json = """
            {"schemaVersion":2,"manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"%s","platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","size":2,"digest":"%s","platform":{"architecture":"amd64","os":"linux"}}]}
            """.formatted(D1, D2);
        ImageIndex index = (ImageIndex) ManifestDocument.parse(json.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(index.mediaType()).isEqualTo(MediaType.OCI_INDEX);
        assertThat(index.select(Platform.LINUX_AMD64)).get().extracting(Descriptor::digest).isEqualTo(Digest.parse(D2));
        assertThat(index.select(Platform.parse("linux/arm64")).get().digest()).isEqualTo(Digest.parse(D1));
        assertThat(index.select(Platform.parse("linux/s390x"))).isEmpty();
    }

    @Test
    void refusesSchema1AndUnknownTypes() {
        String schema1 = "{\"schemaVersion\":1,\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+prettyjws\",\"fsLayers\":[]}";
        assertThatThrownBy(() -> ManifestDocument.parse(schema1.getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("unsupported media type");
        assertThatThrownBy(() -> ManifestDocument.parse("[1]".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("not a JSON object");
    }

    @Test
    void imageConfigKeepsContainerFields() {
        String json = """
            {"architecture":"amd64","os":"linux","config":{"User":"1000:1000","ExposedPorts":{"80/tcp":{}},
             "Env":["PATH=/bin","A=b c"],"Entrypoint":["/bin/sh","-c"],"Cmd":["echo hi"],"Volumes":{"/data":{}},
             "WorkingDir":"/srv","Labels":{"k":"v"},"StopSignal":"SIGTERM",
             "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":30000000000,"Retries":3}},
             "rootfs":{"type":"layers","diff_ids":["%s"]},
             "history":[{"created_by":"x","empty_layer":true}]}""".formatted(D1);
        ImageConfig c = ImageJson.read(json.getBytes(StandardCharsets.UTF_8), ImageConfig.class, "config");
        ContainerConfig cc = c.config();
        assertThat(cc.user()).isEqualTo("1000:1000");
        assertThat(cc.exposedPorts()).containsKey("80/tcp");
        assertThat(cc.env()).containsExactly("PATH=/bin", "A=b c");
        assertThat(cc.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(cc.cmd()).containsExactly("echo hi");
        assertThat(cc.volumes()).containsKey("/data");
        assertThat(cc.workingDir()).isEqualTo("/srv");
        assertThat(cc.labels()).containsEntry("k", "v");
        assertThat(cc.stopSignal()).isEqualTo("SIGTERM");
        assertThat(cc.healthcheck().interval()).isEqualTo(30_000_000_000L);
        assertThat(c.diffIds()).containsExactly(Digest.parse(D1));
        assertThat(c.history().getFirst().isEmptyLayer()).isTrue();
        // Writing the view back keeps the same fields and names.
        ImageConfig again = ImageJson.read(ImageJson.write(c), ImageConfig.class, "config");
        assertThat(again).isEqualTo(c);
    }
}
