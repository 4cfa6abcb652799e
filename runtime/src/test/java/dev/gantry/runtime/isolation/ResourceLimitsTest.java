package dev.gantry.runtime.isolation;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import dev.gantry.cgroups.CgroupStats;
import dev.gantry.oci.runtime.LinuxBlockIo;
import dev.gantry.oci.runtime.LinuxCpu;
import dev.gantry.oci.runtime.LinuxMemory;
import dev.gantry.oci.runtime.LinuxPids;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.ContainerEvent;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.sys.ExitStatus;
import dev.gantry.testkit.Deadline;
import dev.gantry.testkit.OciSpec;
import dev.gantry.testkit.RequiresRoot;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * linux.resources on this host's cgroups, through the runtime library: limits that bite
 * (memory, pids, CPU quota, devices), the freezer (pause/resume), update of a live
 * container, and events (stats and OOM notifications).
 */
@RequiresRoot
class ResourceLimitsTest extends InProcessContainers {
    private static final long MIB = 1 << 20;
    private static final String BUSY_LOOP = "while :; do :; done";

    @Test
    void memoryLimitGetsTheAllocatorOomKilledAndEventsReportIt() throws Exception {
        // swap = limit: no swap, so the 64 MiB buffer dd fills can only be OOM-killed.
        OciSpec spec = OciSpec.runcDefault()
                .shell("dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd=$?; exec sleep 100")
                .set("linux.resources.memory", Map.of("limit", 32 * MIB, "swap", 32 * MIB));
        String id = newId("oom");
        Path out = tmp.resolve("oom.out");
        ContainerRuntime.Created c = create(id, bundle(spec), out);
        BlockingQueue<ContainerEvent> events = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().start(() -> {
            try {
                rt.events(id, Duration.ofMillis(200), events::add);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        // The first stats event proves the OOM watch is registered: only then may dd run.
        ContainerEvent first = events.poll(10, TimeUnit.SECONDS);
        assertThat(first).isInstanceOf(ContainerEvent.Stats.class);
        CgroupStats.Memory memory = ((ContainerEvent.Stats) first).stats().memory().orElseThrow();
        assertThat(memory.limit()).isEqualTo(32 * MIB);
        rt.start(id);

        ContainerEvent oom = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (oom == null && System.nanoTime() < deadline) {
            ContainerEvent e = events.poll(1, TimeUnit.SECONDS);
            if (e instanceof ContainerEvent.Oom) {
                oom = e;
            }
        }
        assertThat(oom).as("an oom event (output: %s)", read(out)).isEqualTo(new ContainerEvent.Oom(id));
        Deadline.await(Duration.ofSeconds(10), () -> read(out).contains("dd="), () -> "dd never ended: " + read(out));
        assertThat(read(out)).contains("dd=137"); // 128 + SIGKILL
        assertThat(keyed(cgroupFile("memory", id, "memory.oom_control"), "oom_kill")).isGreaterThanOrEqualTo(1);
        assertThat(rt.stats(id).memory().orElseThrow().oomKills()).isGreaterThanOrEqualTo(1);
        // Only dd died: the init lives on, so the container is still running.
        assertThat(rt.state(id).status()).isEqualTo(State.Status.RUNNING);

        // events ends by itself once the container stops.
        rt.kill(id, 9, false);
        watcher.join(Duration.ofSeconds(10));
        assertThat(watcher.isAlive()).as("events still running after the container stopped").isFalse();
        assertThat(failure.get()).isNull();
        assertThat(rt.waitForInit(c).signaled()).isTrue();
    }

    @Test
    void createdInitIsAlreadyInTheContainersCgroupInEveryHierarchy() {
        String id = newId("member");
        ContainerRuntime.Created c = create(id, bundle(OciSpec.runcDefault().args("sleep", "100")), tmp.resolve("m.out"));
        // Created: the init has not run any container code yet, and is a member everywhere,
        // the cgroup2 hierarchy ("0::") included.
        List<String> lines = read(Path.of("/proc/" + c.pid() + "/cgroup")).lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("0::"));
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (!f[1].startsWith("name=")) { // named hierarchies (systemd) are not joined
                assertThat(f[2]).as(line).isEqualTo("/gantry/" + id);
            }
        }
        assertThat(read(CGROUP_ROOT.resolve("unified/gantry").resolve(id).resolve("cgroup.procs")))
                .isEqualTo(Integer.toString(c.pid()));
    }

    @Test
    void pidsLimitStopsAForkBomb() {
        OciSpec spec = OciSpec.runcDefault().args("sleep", "1000").set("linux.resources.pids", Map.of("limit", 10));
        String id = newId("pids");
        run(id, bundle(spec), tmp.resolve("init.out"));
        Path out = tmp.resolve("bomb.out");
        int bomb = exec(id, out, "sh", "-c", "i=0; while [ $i -lt 50 ]; do sleep 1000 & i=$((i+1)); done; echo survived");
        ExitStatus status = waitExec(bomb);

        assertThat(status.shellCode()).as(read(out)).isNotZero();
        assertThat(read(out)).contains("can't fork").doesNotContain("survived");
        assertThat(keyed(cgroupFile("pids", id, "pids.events"), "max")).isPositive();
        assertThat(Long.parseLong(read(cgroupFile("pids", id, "pids.current")))).isBetween(2L, 10L);
        assertThat(Long.parseLong(read(cgroupFile("pids", id, "pids.peak")))).isLessThanOrEqualTo(10L);
        assertThat(rt.ps(id)).hasSizeBetween(2, 10);
        CgroupStats.Pids pids = rt.stats(id).pids().orElseThrow();
        assertThat(pids.limit()).isEqualTo(10);
        assertThat(pids.current()).isLessThanOrEqualTo(10);
    }

    @Test
    void cpuQuotaThrottlesABusyLoop() {
        // 10 ms of CPU per 100 ms period: a busy loop exceeds its quota in every period.
        OciSpec spec = OciSpec.runcDefault().shell(BUSY_LOOP)
                .set("linux.resources.cpu", Map.of("quota", 10_000, "period", 100_000));
        String id = newId("cpu");
        run(id, bundle(spec), tmp.resolve("cpu.out"));
        assertThat(read(cgroupFile("cpu", id, "cpu.cfs_quota_us"))).isEqualTo("10000");
        Deadline.await(Duration.ofSeconds(10), () -> rt.stats(id).cpu().orElseThrow().throttledPeriods() >= 3,
                () -> "never throttled: " + rt.stats(id));
        CgroupStats.Cpu cpu = rt.stats(id).cpu().orElseThrow();
        assertThat(cpu.throttledNanos()).isPositive();
        assertThat(cpu.periods()).isGreaterThanOrEqualTo(cpu.throttledPeriods());
        assertThat(keyed(cgroupFile("cpu", id, "cpu.stat"), "nr_throttled")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void pauseFreezesAndResumeThaws() throws Exception {
        String id = newId("pause");
        ContainerRuntime.Created c = run(id, bundle(OciSpec.runcDefault().shell(BUSY_LOOP)), tmp.resolve("p.out"));

        rt.pause(id);
        assertThat(rt.state(id).status()).isEqualTo(State.Status.PAUSED);
        assertThat(rt.list()).filteredOn(s -> s.id().equals(id)).extracting(State::status)
                .containsExactly(State.Status.PAUSED);
        assertThat(read(cgroupFile("freezer", id, "freezer.state"))).isEqualTo("FROZEN");
        // A frozen task sleeps uninterruptibly ("D") and uses no CPU at all.
        assertThat(procState(c.pid())).isEqualTo('D');
        long frozenUsage = rt.stats(id).cpu().orElseThrow().usageNanos();
        Thread.sleep(300);
        assertThat(rt.stats(id).cpu().orElseThrow().usageNanos()).isEqualTo(frozenUsage);
        assertThatThrownBy(() -> rt.pause(id)).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT)).hasMessageContaining("paused");
        assertThatThrownBy(() -> exec(id, tmp.resolve("x.out"), "true")).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));

        rt.resume(id);
        assertThat(rt.state(id).status()).isEqualTo(State.Status.RUNNING);
        assertThat(read(cgroupFile("freezer", id, "freezer.state"))).isEqualTo("THAWED");
        Deadline.await(Duration.ofSeconds(5), () -> rt.stats(id).cpu().orElseThrow().usageNanos() > frozenUsage,
                () -> "no CPU used after resume");
        assertThat(procState(c.pid())).isNotEqualTo('D');
        assertThatThrownBy(() -> rt.resume(id)).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT)).hasMessageContaining("not paused");
    }

    @Test
    void pausedContainerIsDeletedOnlyWithForce() {
        String id = newId("pdel");
        ContainerRuntime.Created c = run(id, bundle(OciSpec.runcDefault().args("sleep", "1000")), tmp.resolve("d.out"));
        rt.pause(id);
        assertThatThrownBy(() -> rt.delete(id, false)).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        rt.delete(id, true);
        assertThat(Path.of("/proc/" + c.pid())).doesNotExist();
        assertNothingLeft(List.of(id));
    }

    @Test
    void updateChangesLimitsOfARunningContainerAndRemembersThem() {
        OciSpec spec = OciSpec.runcDefault().args("sleep", "1000")
                .set("linux.resources.memory", Map.of("limit", 32 * MIB, "swap", 32 * MIB))
                .set("linux.resources.pids", Map.of("limit", 10))
                .set("linux.resources.cpu", Map.of("shares", 512));
        String id = newId("upd");
        run(id, bundle(spec), tmp.resolve("u.out"));

        LinuxResources after = rt.update(id, new LinuxResources(null,
                new LinuxMemory(64 * MIB, null, null, null, null, null, null, null, null),
                new LinuxCpu(null, 50_000L, null, 100_000L, null, null, null, null, null),
                new LinuxPids(20L), null, null, null, null, null));

        assertThat(read(cgroupFile("memory", id, "memory.limit_in_bytes"))).isEqualTo(Long.toString(64 * MIB));
        // Swap was disabled (swap == limit) and stays disabled: memory+swap follows the limit.
        assertThat(read(cgroupFile("memory", id, "memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(64 * MIB));
        assertThat(read(cgroupFile("pids", id, "pids.max"))).isEqualTo("20");
        assertThat(read(cgroupFile("cpu", id, "cpu.cfs_quota_us"))).isEqualTo("50000");
        assertThat(read(cgroupFile("cpu", id, "cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(read(cgroupFile("cpu", id, "cpu.shares"))).isEqualTo("512");
        LinuxResources stored = rt.store().load(id).spec().linux().resources();
        assertThat(stored).isEqualTo(after);
        assertThat(stored.memory().limit()).isEqualTo(64 * MIB);
        assertThat(stored.memory().swap()).isEqualTo(64 * MIB);
        assertThat(stored.cpu().shares()).isEqualTo(512);
        assertThat(stored.cpu().quota()).isEqualTo(50_000);
        assertThat(stored.pids().limit()).isEqualTo(20);
        assertThat(stored.devicesOrEmpty()).hasSize(1); // the config's "deny all", not runc's defaults

        // A value the kernel refuses: named in the error, and the stored spec keeps the last good one.
        assertThatThrownBy(() -> rt.update(id, new LinuxResources(null, null,
                new LinuxCpu(null, 500L, null, null, null, null, null, null, null), null, null, null, null, null, null)))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("linux.resources.cpu.quota").hasMessageContaining("Invalid argument");
        assertThat(rt.store().load(id).spec().linux().resources().cpu().quota()).isEqualTo(50_000);
        assertThat(rt.state(id).status()).isEqualTo(State.Status.RUNNING);
    }

    @Test
    void updateOfBlkioWeightUsesTheHostsScheduler() {
        String id = newId("blkio");
        run(id, bundle(OciSpec.runcDefault().args("sleep", "1000")), tmp.resolve("b.out"));
        Path bfq = cgroupFile("blkio", id, "blkio.bfq.weight");
        Path cfq = cgroupFile("blkio", id, "blkio.weight");
        LinuxResources weight = new LinuxResources(null, null, null, null,
                new LinuxBlockIo(300, null, null, null, null, null, null), null, null, null, null);
        if (Files.exists(bfq) || Files.exists(cfq)) {
            rt.update(id, weight);
            assertThat(read(Files.exists(cfq) ? cfq : bfq)).endsWith("300");
        } else {
            assertThatThrownBy(() -> rt.update(id, weight)).isInstanceOfSatisfying(GantryException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE))
                    .hasMessageContaining("linux.resources.blockIO.weight");
        }
    }

    @Test
    void updateOfAStoppedContainerIsRefused() {
        String id = newId("stopped");
        ContainerRuntime.Created c = run(id, bundle(OciSpec.runcDefault().args("true")), tmp.resolve("s.out"));
        rt.waitForInit(c);
        assertThatThrownBy(() -> rt.update(id, new LinuxResources(null, null, null, new LinuxPids(5L), null, null,
                null, null, null))).isInstanceOfSatisfying(GantryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT)).hasMessageContaining("stopped");
        assertThatThrownBy(() -> rt.events(id, Duration.ofSeconds(1), e -> { }))
                .isInstanceOfSatisfying(GantryException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    }

    @Test
    void deniedDeviceCannotBeOpened() {
        // /dev/kmsg (c 1:11) is created in the container but not among runc's default allowed devices.
        String script = "true > /dev/kmsg; echo kmsg=$?; true > /dev/null; echo null=$?";
        OciSpec denied = OciSpec.runcDefault().shell(script)
                .device(dev.gantry.testkit.Device.character("/dev/kmsg", 1, 11, 0620));
        Finished d = runToEnd("deny", denied);
        assertThat(d.output()).contains("Operation not permitted").contains("kmsg=1").contains("null=0");

        // Control: the same node with a rule allowing it opens.
        OciSpec allowed = OciSpec.runcDefault().shell(script)
                .device(dev.gantry.testkit.Device.character("/dev/kmsg", 1, 11, 0620))
                .set("linux.resources.devices", List.of(Map.of("allow", false, "access", "rwm"),
                        Map.of("allow", true, "type", "c", "major", 1, "minor", 11, "access", "w")));
        Finished a = runToEnd("allow", allowed);
        assertThat(a.output()).contains("kmsg=0").contains("null=0");
    }

    private static char procState(int pid) {
        String stat = read(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
