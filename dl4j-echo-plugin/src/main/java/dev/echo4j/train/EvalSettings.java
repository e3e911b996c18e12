package dev.echo4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Evaluation: {@code samples} rollouts per held-out task at the eval temperature give pass@1 and pass@k
 * (unbiased estimator); {@code every}: also every N steps while training, into the run's {@code evaluations.jsonl}
 * (0: no evaluation during training).
 */
public record EvalSettings(
        @JsonProperty("samples") int samples,
        @JsonProperty("k") int k,
        @JsonProperty("every") int every,
        @JsonProperty("seed") long seed,
        @JsonProperty("sampling") SamplingSettings sampling) {

    public static final EvalSettings DEFAULTS = new EvalSettings(4, 4, 0, 1234, SamplingSettings.EVAL);

    public EvalSettings {
        Checks.atLeast("eval.samples", samples, 1);
        Checks.require(k >= 1 && k <= samples, "eval.k", k, "must lie in 1..eval.samples (" + samples + ")");
        Checks.atLeast("eval.every", every, 0);
    }
}
