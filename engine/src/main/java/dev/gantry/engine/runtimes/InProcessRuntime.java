package dev.gantry.engine.runtimes;

import dev.gantry.cgroups.CgroupStats;
import dev.gantry.oci.runtime.LinuxResources;
import dev.gantry.oci.runtime.Process;
import dev.gantry.oci.runtime.State;
import dev.gantry.runtime.Console;
import dev.gantry.runtime.ContainerRuntime;
import dev.gantry.runtime.CreateOptions;
import dev.gantry.sys.ExitStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Gantry runtime library, running containers from this process (the engine's default). */
public final class InProcessRuntime implements OciRuntime {
    /** The name of the in-process runtime in {@code HostConfig.Runtime} and {@code /info}. */
    public static final String NAME = "gantry";

    private final ContainerRuntime runtime;

    public InProcessRuntime(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Path> path() {
        return Optional.empty();
    }

    @Override
    public int create(String id, Path bundle, Console console, Map<Integer, Integer> stdio) {
        return runtime.create(id, bundle, new CreateOptions(console, null, false, stdio)).pid();
    }

    @Override
    public void start(String id) {
        runtime.start(id);
    }

    @Override
    public State state(String id) {
        return runtime.state(id);
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        runtime.kill(id, signal, all);
    }

    @Override
    public void delete(String id, boolean force) {
        runtime.delete(id, force);
    }

    @Override
    public void pause(String id) {
        runtime.pause(id);
    }

    @Override
    public void resume(String id) {
        runtime.resume(id);
    }

    @Override
    public void update(String id, LinuxResources resources) {
        runtime.update(id, resources);
    }

    @Override
    public CgroupStats stats(String id) {
        return runtime.stats(id);
    }

    @Override
    public List<Integer> ps(String id) {
        return runtime.ps(id);
    }

    @Override
    public int exec(String id, Process process, Console console, Map<Integer, Integer> stdio) {
        return runtime.exec(id, process, new ContainerRuntime.ExecOptions(console, null, stdio));
    }

    @Override
    public ExitStatus waitForChild(int pid) {
        return runtime.waitForChild(pid);
    }
}
