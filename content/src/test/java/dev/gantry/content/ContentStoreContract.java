package dev.gantry.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.oci.image.Digest;
import dev.gantry.oci.image.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ContentStore} must have; implementations subclass this. */
abstract class ContentStoreContract {

    protected abstract ContentStore store();

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void committedBlobIsReadableAndListed() {
        byte[] data = bytes("hello content");
        Digest d = Digest.sha256(data);
        try (Writer w = store().writer("t1", data.length, d)) {
            w.write(data, 0, data.length);
            assertThat(store().info(d)).isEmpty();
            assertThat(w.commit(data.length, d)).isEqualTo(d);
        }
        assertThat(store().readAll(d, 1024)).isEqualTo(data);
        assertThat(store().info(d)).get().extracting(Info::size).isEqualTo((long) data.length);
        List<Digest> seen = new ArrayList<>();
        store().walk(i -> seen.add(i.digest()));
        assertThat(seen).containsExactly(d);
        assertThat(store().ingests()).isEmpty();
    }

    @Test
    void readerSeesWrittenBytesWhileWritingAndAfterCommit() throws Exception {
        byte[] data = bytes("streamed while it arrives");
        Digest d = Digest.sha256(data);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(data.length);
        try (Writer w = store().writer("t-reader", data.length, d);
             java.nio.channels.FileChannel reader = w.openReader()) {
            w.write(data, 0, 8);
            assertThat(reader.read(buf, 0)).isEqualTo(8);
            w.write(data, 8, data.length - 8);
            w.commit(data.length, d);
            // The committed blob was renamed away from the ingest; the reader holds the file itself.
            assertThat(reader.read(buf, 8)).isEqualTo(data.length - 8);
        }
        assertThat(buf.array()).isEqualTo(data);
    }

    @Test
    void digestMismatchLeavesStoreUnchanged() {
        byte[] data = bytes("tampered");
        Digest claimed = Digest.sha256(bytes("original"));
        try (Writer w = store().writer("t2", -1, claimed)) {
            w.write(data, 0, data.length);
            assertThatThrownBy(() -> w.commit(data.length, claimed))
                    .isInstanceOf(GantryException.class).hasMessageContaining("does not match expected " + claimed);
        }
        assertThat(store().info(claimed)).isEmpty();
        assertThat(store().info(Digest.sha256(data))).isEmpty();
        assertThat(store().ingests()).isEmpty();
    }

    @Test
    void truncatedContentIsRefusedBySize() {
        byte[] data = bytes("short");
        try (Writer w = store().writer("t3", 100, null)) {
            w.write(data, 0, data.length);
            assertThatThrownBy(() -> w.commit(100, null)).hasMessageContaining("size 5 does not match expected 100");
        }
        List<Digest> seen = new ArrayList<>();
        store().walk(i -> seen.add(i.digest()));
        assertThat(seen).isEmpty();
    }

    @Test
    void interruptedIngestResumesAtItsOffset() {
        byte[] data = bytes("0123456789abcdef");
        Digest d = Digest.sha256(data);
        try (Writer w = store().writer("resume", data.length, d)) {
            w.write(data, 0, 6);
        }
        assertThat(store().ingests()).singleElement().satisfies(s -> {
            assertThat(s.ref()).isEqualTo("resume");
            assertThat(s.offset()).isEqualTo(6);
            assertThat(s.total()).isEqualTo(data.length);
        });
        try (Writer w = store().writer("resume", data.length, d)) {
            assertThat(w.offset()).isEqualTo(6);
            w.write(data, 6, data.length - 6);
            w.commit(data.length, d);
        }
        assertThat(store().readAll(d, 100)).isEqualTo(data);
    }

    @Test
    void secondWriterOnSameRefIsRefused() {
        try (Writer w = store().writer("locked", -1, null)) {
            assertThatThrownBy(() -> store().writer("locked", -1, null))
                    .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                    .hasMessageContaining("ref locked");
            w.write(new byte[] {1}, 0, 1);
        }
        store().abort("locked");
        assertThat(store().ingests()).isEmpty();
    }

    /**
     * Two pulls of one blob share its ref: the second waits on the lock and opens the ref again
     * the moment the first releases it, while the first still removes its ingest. The first's
     * commit must succeed whatever the second recreated meanwhile, and the second, finding the
     * blob committed, aborts and leaves no ingest behind.
     */
    @Test
    void commitSucceedsWhileAnotherWriterOfTheSameRefWaits() throws Exception {
        for (int round = 0; round < 50; round++) {
            byte[] data = bytes("same ref " + round);
            Digest d = Digest.sha256(data);
            String ref = "pull-" + d;
            Writer first = store().writer(ref, data.length, d);
            first.write(data, 0, data.length);
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> second = ex.submit(() -> {
                    while (store().info(d).isEmpty()) {
                        try (Writer w = store().writer(ref, data.length, d)) {
                            if (store().info(d).isPresent()) {
                                break;
                            }
                        } catch (IngestLockedException busy) {
                            Thread.onSpinWait();
                        }
                    }
                    try {
                        store().abort(ref);
                    } catch (GantryException goneOrTaken) {
                        // Removed by the first writer already.
                    }
                    return null;
                });
                assertThat(first.commit(data.length, d)).isEqualTo(d);
                first.close();
                second.get();
            }
            assertThat(store().readAll(d, data.length)).isEqualTo(data);
        }
        assertThat(store().ingests()).isEmpty();
    }

    @Test
    void concurrentWritersOfOneBlobAllSucceed() throws Exception {
        byte[] data = new byte[1 << 20];
        new java.util.Random(7).nextBytes(data);
        Digest d = Digest.sha256(data);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Digest>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String ref = "concurrent-" + i;
                Callable<Digest> task = () -> {
                    try (Writer w = store().writer(ref, data.length, d)) {
                        for (int off = 0; off < data.length; off += 4096) {
                            w.write(data, off, 4096);
                        }
                        return w.commit(data.length, d);
                    }
                };
                fs.add(ex.submit(task));
            }
            for (Future<Digest> f : fs) {
                assertThat(f.get()).isEqualTo(d);
            }
        }
        assertThat(store().readAll(d, data.length)).isEqualTo(data);
        assertThat(store().ingests()).isEmpty();
    }

    @Test
    void sha512ContentIsAccepted() {
        byte[] data = bytes("sha512 please");
        java.security.MessageDigest md = DigestAlgorithm.SHA512.newHasher();
        md.update(data);
        Digest d = Digest.of(DigestAlgorithm.SHA512, md);
        try (Writer w = store().writer("s512", data.length, d)) {
            w.write(data, 0, data.length);
            w.commit(data.length, d);
        }
        assertThat(store().readAll(d, 100)).isEqualTo(data);
    }

    @Test
    void deleteAndMissingBlobs() {
        Digest absent = Digest.sha256(bytes("absent"));
        assertThatThrownBy(() -> store().open(absent))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> store().delete(absent)).hasMessageContaining("not in the content store");
        byte[] data = bytes("x");
        Digest d = Digest.sha256(data);
        try (Writer w = store().writer("del", 1, d)) {
            w.write(data, 0, 1);
            w.commit(1, d);
        }
        store().delete(d);
        assertThat(store().info(d)).isEmpty();
    }

    @Test
    void documentLimitRefusesLargeBlobs() {
        byte[] data = new byte[2048];
        Digest d = Digest.sha256(data);
        try (Writer w = store().writer("big", data.length, d)) {
            w.write(data, 0, data.length);
            w.commit(data.length, d);
        }
        assertThatThrownBy(() -> store().readAll(d, 1024)).hasMessageContaining("exceeds the 1024-byte limit");
    }
}
