package dev.gantry.api.docker.model;

import java.util.List;

/** The answer to top: ps column titles and one row of values per process. */
public record ContainerTopResponse(List<String> titles, List<List<String>> processes) {}
