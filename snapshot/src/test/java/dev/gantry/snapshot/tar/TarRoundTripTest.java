package dev.gantry.snapshot.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void writesAndReadsEveryMemberKind() throws Exception {
        String longName = "d/" + "n".repeat(150) + "/é-file";
        byte[] cap = {0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            w.putEntry(new TarEntry("d", TarEntry.Type.DIRECTORY, 0755, 1, 2, "u", "g", 0, 100, 0, "", 0, 0, Map.of()));
            byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
            w.putEntry(new TarEntry(longName, TarEntry.Type.REGULAR, 04755, 1000, 70000000, "", "", data.length, 200, 5, "", 0, 0,
                    Map.of("security.capability", cap, "user.k", "v".getBytes(StandardCharsets.UTF_8))));
            w.write(data, 0, data.length);
            w.putEntry(new TarEntry("d/link", TarEntry.Type.SYMLINK, 0777, 0, 0, "", "", 0, 1, 0, "../" + "t".repeat(120), 0, 0, Map.of()));
            w.putEntry(new TarEntry("d/hard", TarEntry.Type.HARDLINK, 0644, 0, 0, "", "", 0, 1, 0, longName, 0, 0, Map.of()));
            w.putEntry(new TarEntry("d/null", TarEntry.Type.CHAR_DEVICE, 0666, 0, 0, "", "", 0, 1, 0, "", 1, 3, Map.of()));
            w.putEntry(new TarEntry("d/fifo", TarEntry.Type.FIFO, 0600, 0, 0, "", "", 0, 1, 0, "", 0, 0, Map.of()));
        }
        TarReader r = new TarReader(new ByteArrayInputStream(out.toByteArray()));
        TarEntry d = r.next();
        assertThat(d.name()).isEqualTo("d/");
        assertThat(d.uid()).isEqualTo(1);
        TarEntry f = r.next();
        assertThat(f.name()).isEqualTo(longName);
        assertThat(f.mode()).isEqualTo(04755);
        assertThat(f.gid()).isEqualTo(70000000);
        assertThat(f.mtimeNanos()).isEqualTo(5);
        assertThat(f.xattrs().get("security.capability")).isEqualTo(cap);
        assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(r.next().linkName()).isEqualTo("../" + "t".repeat(120));
        assertThat(r.next().linkName()).isEqualTo(longName);
        TarEntry dev = r.next();
        assertThat(dev.type()).isEqualTo(TarEntry.Type.CHAR_DEVICE);
        assertThat(dev.devMajor()).isEqualTo(1);
        assertThat(dev.devMinor()).isEqualTo(3);
        assertThat(r.next().type()).isEqualTo(TarEntry.Type.FIFO);
        assertThat(r.next()).isNull();

        // GNU tar reads what we write.
        Path archive = tmp.resolve("ours.tar");
        Files.write(archive, out.toByteArray());
        Process p = new ProcessBuilder("tar", "-tf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(listing).contains(longName, "d/fifo");
    }

    @Test
    void readsGnuTarPaxAndGnuFormats() throws Exception {
        Path src = tmp.resolve("src");
        String deep = "x".repeat(120) + "/" + "y".repeat(120);
        Files.createDirectories(src.resolve(deep));
        Files.writeString(src.resolve(deep).resolve("f"), "data");
        for (String format : List.of("pax", "gnu")) {
            Path archive = tmp.resolve(format + ".tar");
            Process p = new ProcessBuilder("tar", "--format=" + format, "-cf", archive.toString(), "-C", src.toString(), ".")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            List<String> names = new ArrayList<>();
            try (var in = Files.newInputStream(archive)) {
                TarReader r = new TarReader(in);
                for (TarEntry e; (e = r.next()) != null; ) {
                    names.add(e.name());
                    if (e.type() == TarEntry.Type.REGULAR) {
                        assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data");
                    }
                }
            }
            assertThat(names).as(format).contains("./" + deep + "/f");
        }
    }

    @Test
    void refusesCorruptAndTruncatedArchives() {
        byte[] junk = new byte[1024];
        junk[0] = 'x';
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(junk)).next()).hasMessageContaining("checksum");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            w.putEntry(TarEntry.of("f", TarEntry.Type.REGULAR, 0644, 1000, 0));
            w.write(new byte[1000], 0, 1000);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        byte[] truncated = java.util.Arrays.copyOf(out.toByteArray(), 700);
        assertThatThrownBy(() -> {
            TarReader r = new TarReader(new ByteArrayInputStream(truncated));
            r.next();
            r.content().readAllBytes();
        }).hasMessageContaining("truncated");
    }
}
