package dev.echo4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which generated tasks a run trains and evaluates on. Both splits come from the same suite seed; held-out
 * instances use seeds the training split never draws and include a family never trained on.
 */
public record TaskSettings(
        @JsonProperty("suite_seed") long suiteSeed,
        @JsonProperty("train_count") int trainCount,
        @JsonProperty("heldout_count") int heldoutCount) {

    public static final TaskSettings DEFAULTS = new TaskSettings(7, 56, 16);

    public TaskSettings {
        Checks.atLeast("tasks.train_count", trainCount, 1);
        Checks.atLeast("tasks.heldout_count", heldoutCount, 1);
    }
}
