package dev.echo4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.echo4j.sampling.SamplingConfig;
import java.util.List;

/** How the policy samples its actions; temperature 0.8 for training and 0.6 for evaluation, as in the paper. */
public record SamplingSettings(
        @JsonProperty("temperature") double temperature,
        @JsonProperty("top_p") double topP,
        @JsonProperty("top_k") int topK) {

    public static final SamplingSettings TRAIN = new SamplingSettings(0.8, 1.0, 0);
    public static final SamplingSettings EVAL = new SamplingSettings(0.6, 1.0, 0);

    public SamplingSettings {
        new SamplingConfig(temperature, topP, topK, 0, 1, List.of());   // validates with the sampler's own rules
    }

    public SamplingConfig toConfig(long seed, int maxNewTokens, List<Integer> stopTokenIds) {
        return new SamplingConfig(temperature, topP, topK, seed, maxNewTokens, stopTokenIds);
    }
}
