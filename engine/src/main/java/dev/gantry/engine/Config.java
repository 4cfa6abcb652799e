package dev.gantry.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The portable part of a container's configuration, with Docker's meaning ({@code Config} of
 * {@code POST /containers/create}). Absent values are null: the image's value applies.
 *
 * <p>{@code entrypoint} distinguishes null (take the image's) from an empty list (no
 * entrypoint, not even the image's); a list holding only {@code ""} means the same as empty,
 * as {@code docker run --entrypoint ""} sends it.
 *
 * @param image      the image reference the container is created from (name, name:tag, name@digest or image id)
 * @param hostname   the container's hostname; null: the first 12 hex digits of its id
 * @param domainname the container's NIS domain name, or null
 * @param user       {@code name}, {@code uid}, {@code name:group} or {@code uid:gid}, resolved against the
 *                   container's /etc/passwd and /etc/group when it starts; null: the image's, else root
 * @param env        {@code KEY=value} entries, added to (and replacing by key) the image's
 * @param cmd        the command, or the entrypoint's arguments
 * @param entrypoint see above
 * @param workingDir absolute directory the process starts in; null: the image's, else /
 * @param labels     the container's labels, added to the image's
 * @param tty        whether the process gets a terminal (stdout and stderr are then one stream)
 * @param stopSignal signal that {@code stop} sends first (name or number); null: the image's, else SIGTERM
 * @param stopTimeout seconds {@code stop} waits before SIGKILL when the caller gives no timeout; null: 10
 * @param volumes    container paths that get an anonymous volume, added to the image's {@code Volumes}
 * @param openStdin  the container's stdin is a pipe the engine keeps open and feeds from attached
 *                   clients ({@link Engine#attach}); false: it reads /dev/null (or its terminal, with {@code tty})
 * @param stdinOnce  with {@code openStdin}: the container's stdin is closed (end of file) when the first
 *                   attached client's input ends or it detaches
 * @param attachStdin recorded for clients ({@code docker run -i} sets it); the engine does not act on it
 */
public record Config(
        String image,
        String hostname,
        String domainname,
        String user,
        List<String> env,
        List<String> cmd,
        List<String> entrypoint,
        String workingDir,
        Map<String, String> labels,
        boolean tty,
        String stopSignal,
        Integer stopTimeout,
        Set<String> volumes,
        boolean openStdin,
        boolean stdinOnce,
        boolean attachStdin) {

    public Config {
        env = env == null ? List.of() : List.copyOf(env);
        cmd = cmd == null ? null : List.copyOf(cmd);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        volumes = volumes == null ? Set.of() : Set.copyOf(volumes);
    }

    /** A configuration that takes everything from {@code image}. */
    public static Config of(String image) {
        return new Config(image, null, null, null, null, null, null, null, null, false, null, null, null, false, false, false);
    }

    /** This configuration running {@code command} (the image's Cmd is replaced, its Entrypoint kept). */
    public Config withCmd(String... command) {
        return new Config(image, hostname, domainname, user, env, List.of(command), entrypoint, workingDir, labels, tty,
                stopSignal, stopTimeout, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withEntrypoint(List<String> newEntrypoint) {
        return new Config(image, hostname, domainname, user, env, cmd, newEntrypoint, workingDir, labels, tty,
                stopSignal, stopTimeout, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withEnv(List<String> newEnv) {
        return new Config(image, hostname, domainname, user, newEnv, cmd, entrypoint, workingDir, labels, tty,
                stopSignal, stopTimeout, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withUser(String newUser) {
        return new Config(image, hostname, domainname, newUser, env, cmd, entrypoint, workingDir, labels, tty,
                stopSignal, stopTimeout, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withWorkingDir(String dir) {
        return new Config(image, hostname, domainname, user, env, cmd, entrypoint, dir, labels, tty,
                stopSignal, stopTimeout, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withHostname(String newHostname) {
        return new Config(image, newHostname, domainname, user, env, cmd, entrypoint, workingDir, labels, tty,
                stopSignal, stopTimeout, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withTty(boolean newTty) {
        return new Config(image, hostname, domainname, user, env, cmd, entrypoint, workingDir, labels, newTty,
                stopSignal, stopTimeout, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withStop(String signal, Integer timeoutSeconds) {
        return new Config(image, hostname, domainname, user, env, cmd, entrypoint, workingDir, labels, tty,
                signal, timeoutSeconds, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withLabels(Map<String, String> newLabels) {
        return new Config(image, hostname, domainname, user, env, cmd, entrypoint, workingDir, newLabels, tty,
                stopSignal, stopTimeout, volumes, openStdin, stdinOnce, attachStdin);
    }

    public Config withVolumes(Set<String> newVolumes) {
        return new Config(image, hostname, domainname, user, env, cmd, entrypoint, workingDir, labels, tty,
                stopSignal, stopTimeout, newVolumes, openStdin, stdinOnce, attachStdin);
    }

    /** This configuration with the stdin settings of {@code docker run -i} ({@code once}: StdinOnce). */
    public Config withStdin(boolean open, boolean once, boolean attach) {
        return new Config(image, hostname, domainname, user, env, cmd, entrypoint, workingDir, labels, tty,
                stopSignal, stopTimeout, volumes, open, once, attach);
    }
}
