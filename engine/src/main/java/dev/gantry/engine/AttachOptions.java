package dev.gantry.engine;

/**
 * What {@link Engine#attach} connects.
 *
 * @param stdin      feed the client's input to the container's stdin (only for a container created with
 *                   {@code openStdin}, or to its terminal; otherwise the input is read and dropped)
 * @param stdout     deliver the container's stdout (with a TTY: the terminal's output)
 * @param stderr     deliver the container's stderr
 * @param stream     deliver output live until the container's output ends or the client detaches
 * @param logs       first replay what the log holds from before the attach
 * @param detachKeys Docker's {@code --detach-keys} format ({@code ctrl-p,ctrl-q}, {@code a,ctrl-\}):
 *                   the input sequence that ends the attachment without stopping the container;
 *                   null or empty: ctrl-p,ctrl-q
 */
public record AttachOptions(boolean stdin, boolean stdout, boolean stderr, boolean stream, boolean logs, String detachKeys) {
    /** Output only, live: what a plain {@code docker attach --no-stdin} asks for. */
    public static AttachOptions output() {
        return new AttachOptions(false, true, true, true, false, null);
    }
}
