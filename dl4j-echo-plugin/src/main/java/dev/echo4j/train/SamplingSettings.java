package dev.echo4j.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.echo4j.sampling.SamplingConfig;
import java.util.List;

/**
 * How the policy samples its actions; temperature 0.8 for training and 0.6 for evaluation, as in the paper.
 *
 * @param temperedLogprobs whether the policy term's log-probs, old (recorded while sampling) and new (in the
 *                         update), are those of logits / temperature, as TRL, verl and SkyRL (the reference)
 *                         compute them (true, the default), or of the untempered logits (false)
 */
public record SamplingSettings(
        @JsonProperty("temperature") double temperature,
        @JsonProperty("top_p") double topP,
        @JsonProperty("top_k") int topK,
        @JsonProperty("tempered_logprobs") boolean temperedLogprobs) {

    public static final SamplingSettings TRAIN = new SamplingSettings(0.8, 1.0, 0, true);
    public static final SamplingSettings EVAL = new SamplingSettings(0.6, 1.0, 0, true);

    public SamplingSettings {
        new SamplingConfig(temperature, topP, topK, 0, 1, List.of());   // validates with the sampler's own rules
        if (temperedLogprobs && temperature == 0) {
            throw new IllegalArgumentException("sampling.tempered_logprobs: greedy sampling (temperature 0) has no tempered log-probs;"
                    + " set tempered_logprobs: false");
        }
    }

    @JsonCreator
    static SamplingSettings fromJson(@JsonProperty("temperature") Double temperature, @JsonProperty("top_p") Double topP,
                                     @JsonProperty("top_k") Integer topK, @JsonProperty("tempered_logprobs") Boolean temperedLogprobs) {
        SamplingSettings d = TRAIN;
        double t = temperature != null ? temperature : d.temperature;
        return new SamplingSettings(t, topP != null ? topP : d.topP, topK != null ? topK : d.topK,
                temperedLogprobs != null ? temperedLogprobs : t > 0);
    }

    /** The temperature the policy term's log-probs are taken at: the sampling temperature, or 1. */
    public double logprobTemperature() {
        return temperedLogprobs ? temperature : 1.0;
    }

    public SamplingConfig toConfig(long seed, int maxNewTokens, List<Integer> stopTokenIds) {
        return new SamplingConfig(temperature, topP, topK, seed, maxNewTokens, stopTokenIds, temperedLogprobs);
    }
}
