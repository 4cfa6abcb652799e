package dev.gantry.runtime.plan;

/** A compiled seccomp filter: the struct sock_filter array and the SECCOMP_FILTER_FLAG_* bits. */
public record SeccompFilter(byte[] program, long flags) {}
