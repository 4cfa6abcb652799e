package dev.gantry.api.docker.model;

/** One resource limit ({@code nofile}, {@code nproc}...), soft and hard. */
public record Ulimit(String name, Long soft, Long hard) {}
