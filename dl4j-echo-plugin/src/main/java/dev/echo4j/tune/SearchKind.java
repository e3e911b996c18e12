package dev.echo4j.tune;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which Arbiter candidate generator walks the space. */
public enum SearchKind {
    /** Arbiter's {@code RandomSearchGenerator}: seeded draws, so a resumed search sees the same candidates. */
    @JsonProperty("random") RANDOM,
    /** Arbiter's {@code GridSearchCandidateGenerator} in sequential order, {@code grid_points} values per continuous axis. */
    @JsonProperty("grid") GRID;

    public static SearchKind parse(String text) {
        return switch (text.trim()) {
            case "random" -> RANDOM;
            case "grid" -> GRID;
            default -> throw new IllegalArgumentException("search '" + text + "': use random or grid");
        };
    }
}
