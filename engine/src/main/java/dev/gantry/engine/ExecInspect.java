package dev.gantry.engine;

/**
 * The state of an exec instance.
 *
 * @param id          64 hex digits
 * @param containerId the container it runs in
 * @param request     what it runs
 * @param running     whether its process is running
 * @param exitCode    its exit code once it ended, else null
 * @param pid         its host pid while running (or after), 0 before start
 */
public record ExecInspect(String id, String containerId, ExecRequest request, boolean running, Integer exitCode, int pid) {
}
