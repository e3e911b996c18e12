package dev.echo4j.objective;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What the summed env cross-entropy of a rollout is divided by (see spec/echo-objective.md). */
public enum EnvNormalization {
    /** Per rollout, by all observation tokens (env + warnings): the paper's code. */
    FULL_OBSERVATION_TOKENS("full_observation_tokens"),
    /** Per rollout, by the env tokens that are targets. */
    SELECTED_TOKENS("selected_tokens"),
    /** Over the batch, by all env tokens: every env token weighs the same. */
    TOKEN_MEAN("token_mean");

    private final String id;

    EnvNormalization(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static EnvNormalization fromId(String id) {
        return Arrays.stream(values()).filter(v -> v.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("env_normalization: unknown value '" + id + "'; allowed: "
                        + Arrays.stream(values()).map(EnvNormalization::id).toList()));
    }
}
