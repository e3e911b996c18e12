package dev.echo4j.objective;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How per-token policy terms of the action tokens become one number (see spec/echo-objective.md). */
public enum PolicyReduction {
    /** Every action token in the batch weighs the same: long rollouts dominate. */
    TOKEN_MEAN("token_mean"),
    /** Each rollout weighs the same, its tokens averaged (the paper's recipe). */
    SEQUENCE_MEAN("sequence_mean"),
    /** Dr. GRPO: token sums divided by the padded length T, so length carries no bias. */
    SEQ_MEAN_TOKEN_SUM_NORM("seq_mean_token_sum_norm");

    private final String id;

    PolicyReduction(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static PolicyReduction fromId(String id) {
        return Arrays.stream(values()).filter(v -> v.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("policy_reduction: unknown value '" + id + "'; allowed: "
                        + Arrays.stream(values()).map(PolicyReduction::id).toList()));
    }
}
