package dev.gantry.api.docker.model;

/** One effect of image removal: a reference untagged, or an image deleted. */
public record ImageDeleteItem(String untagged, String deleted) {}
