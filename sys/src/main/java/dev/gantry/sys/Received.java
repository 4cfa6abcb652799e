package dev.gantry.sys;

/** Bytes read by recvmsg(2), and the file descriptor that came with them by SCM_RIGHTS (or -1). */
public record Received(byte[] data, int fd) {}
