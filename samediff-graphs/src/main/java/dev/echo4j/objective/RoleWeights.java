package dev.echo4j.objective;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Per-token weights by role inside each term, as prime-rl's role table gives them: {@code action} scales every
 * action token's policy term, {@code env} every terminal-output token's cross-entropy, and {@code warning} the
 * harness's warnings, which the paper leaves out of the env loss (weight 0: low entropy, memorised in ~60
 * steps) while still counting them in its normaliser. Normalisers count tokens, unweighted.
 */
public record RoleWeights(
        @JsonProperty("action") double action,
        @JsonProperty("env") double env,
        @JsonProperty("warning") double warning) {

    public static final RoleWeights DEFAULTS = new RoleWeights(1.0, 1.0, 0.0);

    public RoleWeights {
        for (double w : new double[] {action, env, warning}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("role_weights: every weight must be a finite number >= 0, got action=" + action
                        + " env=" + env + " warning=" + warning);
            }
        }
    }

    @JsonCreator
    static RoleWeights fromJson(@JsonProperty("action") Double action, @JsonProperty("env") Double env,
                                @JsonProperty("warning") Double warning) {
        return new RoleWeights(action != null ? action : DEFAULTS.action, env != null ? env : DEFAULTS.env,
                warning != null ? warning : DEFAULTS.warning);
    }
}
