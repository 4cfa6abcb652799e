package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test's world for driving a runtime binary: a private directory (bundles, the runtime's
 * {@code --root}, logs), a {@link RuntimeCli}, and unique container ids. After each test it
 * force-deletes every container left in that root, kills processes still running from the
 * test's bundles, and then fails the test if anything was left behind: a leak is a bug in the
 * runtime. Leftovers are removed either way (lazy unmount, cgroup rmdir) so one bad run does
 * not poison the next. Register it with {@code @RegisterExtension}.
 */
public final class RuntimeSandbox implements BeforeEachCallback, AfterEachCallback {
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private final Set<String> ids = new LinkedHashSet<>();
    private final AtomicInteger bundles = new AtomicInteger();
    private Path dir;
    private RuntimeCli cli;
    private String label = "";

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        label = context.getTestMethod().map(m -> m.getName()).orElse("");
        dir = Files.createTempDirectory("gantry-it-");
        // Searchable by everyone: a container whose root is an unprivileged host uid must reach its rootfs.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        cli = new RuntimeCli(RuntimeCli.binaryFromSystemProperty(), dir.resolve("state"), dir.resolve("logs"),
                CLI_TIMEOUT);
    }

    public RuntimeCli cli() {
        return cli;
    }

    /** This test's private directory. */
    public Path dir() {
        return dir;
    }

    /** A fresh container id, remembered for cleanup and leak checks. */
    public String newId() {
        String id = ContainerIds.next(label);
        ids.add(id);
        return id;
    }

    /** A new bundle below the test directory with a private busybox rootfs. */
    public OciBundle bundle(OciSpec spec) {
        return OciBundle.create(nextBundleDir(), spec);
    }

    /** A new bundle directory without a rootfs (config.json only). */
    public OciBundle bundleWithoutRootfs(OciSpec spec) {
        return OciBundle.withoutRootfs(nextBundleDir(), spec);
    }

    /** A new bundle with a busybox rootfs and {@code config.json} holding exactly {@code text}. */
    public OciBundle bundleWithRawConfig(String text) {
        return OciBundle.withRawConfig(nextBundleDir(), text);
    }

    /**
     * Asserts that {@code id} left nothing behind, waiting briefly for processes to be reaped;
     * the failure message shows the runtime output that preceded it.
     */
    public void assertNothingLeft(String id, CliResult cause) {
        Leaks.Found found = settle(List.of(id));
        if (!found.isEmpty()) {
            throw new AssertionError("container " + id + " " + found.describe() + "\nafter:" + cause.describe());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (cli == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        cli.started().stream().filter(RunningCli::isAlive).forEach(RunningCli::kill);
        Set<String> all = new LinkedHashSet<>(ids);
        all.addAll(containersInRoot());
        for (String id : containersToDelete(problems)) {
            try {
                cli.invoke("delete", "--force", id);
            } catch (AssertionError e) {
                problems.add("delete --force " + id + " hung: " + e.getMessage());
            }
        }
        Leaks.Found found = settle(all);
        if (!found.isEmpty()) {
            problems.add(found.describe());
            removeLeftovers(found);
        }
        Leaks.Found remaining = settle(all);
        if (remaining.mounts().isEmpty()) {
            TestFiles.delete(dir);
        } else {
            problems.add("could not unmount, so kept " + dir + ": " + remaining.mounts());
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("test " + label + " leaked (runtime " + cli.binary() + "):\n"
                    + String.join("\n", problems));
        }
    }

    private Leaks.Found settle(Iterable<String> containerIds) {
        List<String> list = new ArrayList<>();
        containerIds.forEach(list::add);
        Leaks.Found[] last = {null};
        Deadline.poll(SETTLE, () -> (last[0] = Leaks.scan(dir, list, cli.root())).isEmpty());
        return last[0];
    }

    /**
     * The containers the runtime still knows: those {@code list} reports, those with a state
     * entry, and every directory in the root. Asking only about these keeps cleanup quick for
     * tests whose containers were never created.
     */
    private Set<String> containersToDelete(List<String> problems) {
        Set<String> known = new LinkedHashSet<>(containersInRoot());
        try {
            cli.list().forEach(state -> known.add(state.id()));
        } catch (AssertionError e) {
            problems.add("list --format json failed during cleanup: " + e.getMessage());
        }
        for (String id : ids) {
            if (!Leaks.stateEntries(cli.root(), List.of(id)).isEmpty()) {
                known.add(id);
            }
        }
        return known;
    }

    private List<String> containersInRoot() {
        Path root = cli.root();
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
                entries.forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("listing " + root, e);
            }
        }
        return names;
    }

    private static void removeLeftovers(Leaks.Found found) {
        found.processes().forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
        Deadline.poll(SETTLE, () -> found.processes().stream()
                .allMatch(p -> ProcessHandle.of(p.pid()).map(h -> !h.isAlive()).orElse(true)));
        found.mounts().stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .forEach(Libc::detach);
        found.cgroups().stream()
                .sorted(Comparator.comparingInt((Path p) -> p.getNameCount()).reversed())
                .forEach(cgroup -> {
                    try {
                        Files.deleteIfExists(cgroup);
                    } catch (IOException e) {
                        // Still populated or busy: the leak is already reported, nothing more to do here.
                    }
                });
    }

    private Path nextBundleDir() {
        return dir.resolve("bundles").resolve("b" + bundles.incrementAndGet());
    }
}
