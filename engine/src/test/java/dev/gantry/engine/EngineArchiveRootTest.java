package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.snapshot.tar.TarEntry;
import dev.gantry.snapshot.tar.TarReader;
import dev.gantry.snapshot.tar.TarWriter;
import dev.gantry.testkit.RequiresRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** docker cp and export through the engine, including containers that try to lead the copy out of their rootfs. */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ClassEngine.class)
class EngineArchiveRootTest {
    @TempDir
    static Path tmp;

    private final Engine engine;

    EngineArchiveRootTest(Engine engine) {
        this.engine = engine;
    }

    private String ran(String script) throws Exception {
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("sh", "-c", script), null)).id();
        var exit = engine.wait(id, WaitCondition.NEXT_EXIT);
        engine.start(id);
        exit.get(30, TimeUnit.SECONDS);
        return id;
    }

    private String running(String script) {
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("sh", "-c", script), null)).id();
        engine.start(id);
        return id;
    }

    private static Map<String, String> members(byte[] tar) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        TarEntry e;
        while ((e = r.next()) != null) {
            String v = switch (e.type()) {
                case REGULAR -> new String(r.content().readAllBytes(), StandardCharsets.UTF_8);
                case SYMLINK -> "-> " + e.linkName();
                default -> e.type().name();
            };
            out.put(e.name(), v);
        }
        return out;
    }

    private byte[] get(String id, String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.getArchive(id, path, out);
        return out.toByteArray();
    }

    /** A tar built member by member: {name, type, content-or-link}. */
    private static byte[] tar(String[]... members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        for (String[] m : members) {
            switch (m[1]) {
                case "file" -> {
                    byte[] data = m[2].getBytes(StandardCharsets.UTF_8);
                    w.putEntry(new TarEntry(m[0], TarEntry.Type.REGULAR, 0640, 1234, 5678, "", "", data.length, 1_000_000, 0, "", 0, 0, null));
                    w.write(data, 0, data.length);
                }
                case "dir" -> w.putEntry(TarEntry.of(m[0], TarEntry.Type.DIRECTORY, 0755, 0, 1_000_000));
                default -> w.putEntry(new TarEntry(m[0], TarEntry.Type.SYMLINK, 0777, 0, 0, "", "", 0, 1_000_000, 0, m[2], 0, 0, null));
            }
        }
        w.finish();
        return out.toByteArray();
    }

    private void put(String id, String dir, byte[] tar, boolean keepOwners) {
        engine.putArchive(id, dir, new ByteArrayInputStream(tar), false, keepOwners);
    }

    @Test
    void copiesIntoAndOutOfAStoppedContainerMountingItsRootfsOnlyMeanwhile() throws Exception {
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("true"), null)).id();
        put(id, "/tmp", tar(new String[] {"d", "dir", ""}, new String[] {"d/hello.txt", "file", "hello\n"}), true);

        assertThat(members(get(id, "/tmp/d"))).containsEntry("d/hello.txt", "hello\n").containsKey("d/");
        assertThat(members(get(id, "/tmp/d/."))).containsEntry("./hello.txt", "hello\n");
        PathInfo info = engine.statPath(id, "/tmp/d/hello.txt");
        assertThat(info.name()).isEqualTo("hello.txt");
        assertThat(info.size()).isEqualTo(6);
        assertThat(info.mode()).isEqualTo(0100640);
        assertThat(info.mtime().getEpochSecond()).isEqualTo(1_000_000);
        TarReader r = new TarReader(new ByteArrayInputStream(get(id, "/tmp/d/hello.txt")));
        TarEntry e = r.next();
        assertThat(e.uid()).isEqualTo(1234);
        assertThat(e.gid()).isEqualTo(5678);
        assertThat(members(get(id, "/etc/hostname")).get("hostname")).isEqualTo(id.substring(0, 12) + "\n");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(id);
        assertThatThrownBy(() -> engine.statPath(id, "/nope")).isInstanceOfSatisfying(GantryException.class,
                g -> assertThat(g.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> get(id, "/tmp/d/hello.txt/")).isInstanceOfSatisfying(GantryException.class,
                g -> assertThat(g.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void aFilePutIntoARunningContainerIsSeenByIt() throws Exception {
        String id = running("while [ ! -f /tmp/go ]; do sleep 0.05; done; cat /tmp/go; ls -ln /tmp/go");
        var exit = engine.wait(id, WaitCondition.NOT_RUNNING);
        put(id, "/tmp", tar(new String[] {"go", "file", "from the host"}), false);
        exit.get(30, TimeUnit.SECONDS);
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        engine.logs(id, new LogOptions(true, false, false, -1, null, null), l -> logs.writeBytes(l.line()));
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("from the host").containsPattern("-rw-r-----\\s+1 0\\s+0 ");
    }

    @Test
    void exportHasTheWholeRootfs() throws Exception {
        String id = ran("echo x > /added");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.export(id, out);
        Map<String, String> m = members(out.toByteArray());
        assertThat(m).containsKeys("bin/", "bin/busybox", "etc/").containsEntry("added", "x\n");
        assertThat(m.keySet()).noneMatch(n -> n.startsWith("/") || n.startsWith("."));
    }

    @Test
    void aSymlinkToSlashStaysInTheContainer() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret-" + UUID.randomUUID()), "HOST SECRET");
        String id = ran("ln -s / /etc/evil; echo container > /etc/shadow");
        assertThat(members(get(id, "/etc/evil/etc/shadow"))).containsEntry("shadow", "container\n");
        assertThatThrownBy(() -> get(id, "/etc/evil" + secret)).isInstanceOfSatisfying(GantryException.class,
                g -> assertThat(g.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> get(id, "/etc/evil/../../../.." + secret)).isInstanceOf(GantryException.class);
        PathInfo link = engine.statPath(id, "/etc/evil");
        assertThat(link.linkTarget()).isEqualTo("/");
        assertThat(link.mode() & 0170000).isEqualTo(0120000);
        assertThat(members(get(id, "/etc/evil"))).containsEntry("evil", "-> /").hasSize(1);
        // A put through the link lands in the container's own directory of that name, or nowhere.
        assertThatThrownBy(() -> put(id, "/etc/evil" + tmp, tar(new String[] {"pwned", "file", "x"}), false))
                .isInstanceOfSatisfying(GantryException.class, g -> assertThat(g.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void hostileArchivesWriteNothingOutsideTheRootfs() throws Exception {
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("true"), null)).id();
        String n = UUID.randomUUID().toString();
        Path escape = Path.of("/tmp/gantry-escape-" + n);
        assertThatThrownBy(() -> put(id, "/tmp", tar(new String[] {"../".repeat(20) + "tmp/gantry-escape-" + n, "file", "x"}), false))
                .isInstanceOfSatisfying(GantryException.class, g -> assertThat(g.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> put(id, "/", tar(new String[] {escape.toString(), "file", "x"}), false))
                .isInstanceOfSatisfying(GantryException.class, g -> assertThat(g.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> put(id, "/tmp", tar(new String[] {"link", "symlink", tmp.toString()},
                new String[] {"link/pwned", "file", "x"}), false))
                .isInstanceOfSatisfying(GantryException.class, g -> assertThat(g.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> put(id, "/tmp", tar(new String[] {".wh.passwd", "file", ""}), false))
                .isInstanceOfSatisfying(GantryException.class, g -> assertThat(g.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThat(escape).doesNotExist();
        assertThat(tmp.resolve("pwned")).doesNotExist();
        // The link itself was extracted (it is harmless data), and reads back as a link.
        assertThat(engine.statPath(id, "/tmp/link").linkTarget()).isEqualTo(tmp.toString());
    }

    @Test
    void aContainerSwappingSymlinksWhileCopiedNeverLeadsOut() throws Exception {
        Path secret = Files.writeString(tmp.resolve("swap-secret"), "HOST SECRET");
        String id = running("mkdir -p /d" + tmp + " && echo container > /d" + secret
                + "; while :; do ln -sfn / /x; ln -sfn /d /x; done");
        int found = 0;
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end) {
            try {
                String v = members(get(id, "/x" + secret)).get(secret.getFileName().toString());
                assertThat(v).isIn("container\n", "-> /", "-> /d");
                found++;
            } catch (GantryException e) {
                assertThat(e.kind()).isIn(ErrorKind.NOT_FOUND, ErrorKind.INVALID_ARGUMENT);
            }
            try {
                put(id, "/x" + tmp, tar(new String[] {"race", "file", "x"}), false);
            } catch (GantryException e) {
                assertThat(e.kind()).isIn(ErrorKind.NOT_FOUND, ErrorKind.INVALID_ARGUMENT);
            }
        }
        assertThat(found).isPositive();
        assertThat(Files.readString(secret)).isEqualTo("HOST SECRET");
        assertThat(tmp.resolve("race")).doesNotExist();
        engine.kill(id, "KILL");
    }

    @Test
    void pathsInTmpfsMountsAreRefusedClearly() {
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("true"),
                HostConfig.builder().tmpfs(Map.of("/scratch", "size=1m")).build())).id();
        assertThatThrownBy(() -> engine.statPath(id, "/scratch/a")).isInstanceOfSatisfying(GantryException.class, g -> {
            assertThat(g.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
            assertThat(g.getMessage()).contains("/scratch").contains("only inside the container");
        });
    }

    @Test
    void copyingReachesVolumesAndBindsThroughTheirHostDirectories() throws Exception {
        Path bind = Files.createDirectories(tmp.resolve("bind-src"));
        Path readOnly = Files.createDirectories(tmp.resolve("ro-src"));
        Files.writeString(bind.resolve("hosts"), "the bind's own\n");
        // A symlink in the bind that points at / resolves inside the bind, never on the host.
        Files.createSymbolicLink(bind.resolve("up"), Path.of("/"));
        String id = engine.create(new CreateRequest(null, Config.of(EngineFixture.IMAGE).withCmd("sleep", "300"),
                HostConfig.builder().binds(List.of(bind + ":/data", readOnly + ":/ro:ro", "cpvol:/vol")).build())).id();
        engine.start(id);
        engine.putArchive(id, "/data", new ByteArrayInputStream(tar(new String[] {"in-bind.txt", "file", "to the bind"})), false, false);
        assertThat(bind.resolve("in-bind.txt")).hasContent("to the bind");
        engine.putArchive(id, "/vol/", new ByteArrayInputStream(tar(new String[] {"in-vol.txt", "file", "to the volume"})), false, false);
        assertThat(Path.of(engine.volume("cpvol").mountpoint(), "in-vol.txt")).hasContent("to the volume");
        assertThat(members(get(id, "/vol/in-vol.txt"))).containsEntry("in-vol.txt", "to the volume");
        assertThat(members(get(id, "/data"))).containsKeys("data/", "data/hosts", "data/in-bind.txt");
        assertThat(engine.statPath(id, "/data/in-bind.txt").name()).isEqualTo("in-bind.txt");
        assertThat(engine.statPath(id, "/data").name()).isEqualTo("data");
        // Not the engine's /etc/hosts: below a mount, paths are the mount's own.
        assertThat(members(get(id, "/data/up/hosts"))).containsEntry("hosts", "the bind's own\n");
        assertThatThrownBy(() -> engine.putArchive(id, "/ro", new ByteArrayInputStream(tar(new String[] {"x", "file", "x"})), false, false))
                .isInstanceOfSatisfying(GantryException.class, g -> assertThat(g.getMessage()).contains("read-only"));
        assertThat(readOnly.resolve("x")).doesNotExist();
        engine.remove(id, true, false);
        engine.removeVolume("cpvol");
    }
}
