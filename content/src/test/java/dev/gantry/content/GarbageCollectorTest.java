package dev.gantry.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.image.Descriptor;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.ImageJson;
import dev.gantry.oci.image.ImageManifest;
import dev.gantry.oci.image.MediaType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
    @TempDir
    Path root;

    private Descriptor put(LocalContentStore store, String mediaType, byte[] data) {
        Digest d = Digest.sha256(data);
        try (Writer w = store.writer("put-" + d, data.length, d)) {
            w.write(data, 0, data.length);
            w.commit(data.length, d);
        }
        return Descriptor.of(mediaType, d, data.length);
    }

    @Test
    void keepsWhatImagesAndLeasesReferenceAndRemovesTheRest() {
        LocalContentStore store = new LocalContentStore(root.resolve("content"));
        Descriptor config = put(store, MediaType.OCI_CONFIG, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        Descriptor layer = put(store, MediaType.OCI_LAYER_GZIP, "layer-bytes".getBytes(StandardCharsets.UTF_8));
        Descriptor manifest = put(store, MediaType.OCI_MANIFEST,
                ImageJson.write(ImageManifest.of(MediaType.OCI_MANIFEST, config, List.of(layer))));
        Descriptor leased = put(store, MediaType.OCI_LAYER_GZIP, "in-flight".getBytes(StandardCharsets.UTF_8));
        Descriptor garbage = put(store, MediaType.OCI_LAYER_GZIP, "garbage".getBytes(StandardCharsets.UTF_8));
        Descriptor expiredOnly = put(store, MediaType.OCI_LAYER_GZIP, "expired".getBytes(StandardCharsets.UTF_8));

        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        LeaseManager leases = new LeaseManager(root.resolve("leases"), clock);
        Lease pull = leases.create("pull-1", Duration.ofHours(1));
        pull.add(leased);
        Lease expired = leases.create("old", Duration.ofSeconds(-1));
        expired.add(expiredOnly);
        RootSet images = () -> List.of(manifest);

        GarbageCollector.Result r = new GarbageCollector(store, List.of(images, leases)).collect();

        assertThat(r.removed()).containsExactlyInAnyOrder(garbage.digest(), expiredOnly.digest());
        assertThat(r.bytesFreed()).isEqualTo(garbage.size() + expiredOnly.size());
        List<Digest> left = new ArrayList<>();
        store.walk(i -> left.add(i.digest()));
        assertThat(left).containsExactlyInAnyOrder(config.digest(), layer.digest(), manifest.digest(), leased.digest());

        pull.close();
        new GarbageCollector(store, List.of(images, leases)).collect();
        assertThat(store.info(leased.digest())).isEmpty();
        assertThat(store.info(layer.digest())).isPresent();
    }

    @Test
    void leaseSurvivesReopen() {
        LeaseManager leases = new LeaseManager(root.resolve("leases"), Clock.systemUTC());
        Descriptor d = Descriptor.of(MediaType.OCI_LAYER, Digest.sha256("x"), 1);
        try (Lease l = leases.create("container-abc", Duration.ofDays(1))) {
            l.add(d);
            assertThat(leases.get("container-abc").resources()).containsExactly(d);
            assertThat(leases.roots()).containsExactly(d);
        }
        assertThat(leases.roots()).isEmpty();
    }
}
