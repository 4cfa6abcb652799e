package dev.gantry.engine;

import java.time.Instant;

/**
 * One path of a container's file system as {@code docker cp} sees it.
 *
 * @param name       the path's last component ("/" for the root)
 * @param size       bytes of a regular file (a directory or link: what lstat(2) says)
 * @param mode       the Unix {@code st_mode}: file type bits and permission bits
 * @param mtime      last modification
 * @param linkTarget for a symlink, its target as an absolute path in the container (a relative
 *                   target is joined to the link's directory, lexically); otherwise empty
 */
public record PathInfo(String name, long size, int mode, Instant mtime, String linkTarget) {
}
