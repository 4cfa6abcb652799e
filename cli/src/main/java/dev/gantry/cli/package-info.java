/**
 * {@code gantry}: a docker-compatible command line, a client of gantryd's Docker Engine API.
 *
 * <h2>Vocabulary</h2>
 * <ul>
 *   <li>A {@link dev.gantry.cli.Command} is one verb as typed ({@code run}, {@code volume ls}):
 *       usage, summary, {@link dev.gantry.cli.Flag}s and an action. {@link dev.gantry.cli.Gantry}
 *       holds the table of commands, resolves docker's management spellings
 *       ({@code container ls} → {@code ps}) and maps failures to docker's exit codes.</li>
 *   <li>{@link dev.gantry.cli.Args} are one command's parsed flags and positional arguments.</li>
 *   <li>A {@link dev.gantry.cli.Session} is what an action runs with: the daemon's
 *       {@link dev.gantry.cli.ApiClient} (HTTP/1.1 over the unix socket, gantryd started on demand
 *       by {@link dev.gantry.cli.DaemonStarter}), stdout, stderr, stdin and the environment.</li>
 *   <li>A {@link dev.gantry.cli.Response} is one answer; a <em>hijacked</em> one (101, attach and
 *       exec) carries the raw stream both ways, which {@link dev.gantry.cli.Attachment} pumps and
 *       {@link dev.gantry.cli.StdStreams} demultiplexes.</li>
 *   <li>A {@link dev.gantry.cli.Row} is one line of a listing, with docker's field names;
 *       {@link dev.gantry.cli.Listing} prints rows as the default table, {@code -q} or through
 *       {@link dev.gantry.cli.Formatter} ({@code --format}).</li>
 *   <li>{@link dev.gantry.cli.CreateRequest} is the ContainerCreate body built from run/create flags.</li>
 * </ul>
 * Failures are {@link dev.gantry.base.GantryException}s: {@link dev.gantry.cli.UsageException}
 * for a command line the CLI refuses (exit 125), {@link dev.gantry.cli.DaemonException} for the
 * daemon's refusals (its HTTP status and message).
 */
package dev.gantry.cli;
