package dev.gantry.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.GantryException;
import dev.gantry.content.LocalContentStore;
import dev.gantry.content.Writer;
import dev.gantry.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A layer read while it downloads: bytes as written, the end only after commit, failure as soon as it happens. */
class LayerFeedTest {
    private static final byte[] DATA = "layer bytes arriving in two parts".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.sha256(DATA);

    @TempDir
    Path tmp;

    @Test
    void streamDeliversWrittenBytesAndEndsOnlyAfterCommit() throws Exception {
        LocalContentStore store = new LocalContentStore(tmp);
        LayerFeed feed = new LayerFeed(store, DIGEST);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             Writer w = store.writer("feed", DATA.length, DIGEST);
             InputStream in = feed.stream()) {
            feed.attach(w.openReader(), w.offset());
            w.write(DATA, 0, 10);
            feed.written(w.offset());
            byte[] first = in.readNBytes(10);
            assertThat(first).isEqualTo(java.util.Arrays.copyOf(DATA, 10));
            Future<byte[]> rest = pool.submit(() -> in.readAllBytes());
            w.write(DATA, 10, DATA.length - 10);
            feed.written(w.offset());
            Thread.sleep(50);
            assertThat(rest).as("all bytes are written, but the blob is not verified yet").isNotDone();
            w.commit(DATA.length, DIGEST);
            feed.committed();
            assertThat(rest.get(10, TimeUnit.SECONDS)).isEqualTo(java.util.Arrays.copyOfRange(DATA, 10, DATA.length));
        }
    }

    @Test
    void streamFailsWhenTheDownloadFails() throws Exception {
        LocalContentStore store = new LocalContentStore(tmp);
        LayerFeed feed = new LayerFeed(store, DIGEST);
        try (Writer w = store.writer("feed", DATA.length, DIGEST); InputStream in = feed.stream()) {
            feed.attach(w.openReader(), w.offset());
            w.write(DATA, 0, DATA.length);
            feed.written(w.offset());
            assertThat(in.readNBytes(DATA.length)).isEqualTo(DATA);
            feed.failed(GantryException.invalid("blob " + DIGEST + ": digest does not match"));
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("digest does not match");
        }
    }

    @Test
    void blobCommittedElsewhereIsReadFromTheStoreAfterWhatWasStreamed() throws Exception {
        LocalContentStore store = new LocalContentStore(tmp);
        LayerFeed feed = new LayerFeed(store, DIGEST);
        try (InputStream in = feed.stream()) {
            try (Writer mine = store.writer("mine", DATA.length, DIGEST)) {
                feed.attach(mine.openReader(), mine.offset());
                mine.write(DATA, 0, 5);
                feed.written(mine.offset());
                assertThat(in.readNBytes(5)).isEqualTo(java.util.Arrays.copyOf(DATA, 5));
            }
            try (Writer other = store.writer("other", DATA.length, DIGEST)) {
                other.write(DATA, 0, DATA.length);
                other.commit(DATA.length, DIGEST);
            }
            feed.detach();
            feed.committed();
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(DATA, 5, DATA.length));
        }
    }
}
