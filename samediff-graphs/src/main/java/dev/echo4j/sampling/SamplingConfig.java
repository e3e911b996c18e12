package dev.echo4j.sampling;

import java.util.List;

/**
 * How to sample: {@code temperature} 0 means greedy (argmax); {@code topK} 0 and {@code topP} 1 switch
 * those filters off. Generation of a sequence ends after {@code maxNewTokens} or on the first token in
 * {@code stopTokenIds} (which is returned, with its log-prob). The same seed gives the same samples.
 * Reported log-probs are the policy's own (untempered) unless {@code temperedLogProbs}: then those of
 * softmax(logits / temperature), before top-k/top-p, as TRL, verl and SkyRL record them.
 */
public record SamplingConfig(double temperature, double topP, int topK, long seed, int maxNewTokens,
                             List<Integer> stopTokenIds, boolean temperedLogProbs) {

    public SamplingConfig(double temperature, double topP, int topK, long seed, int maxNewTokens, List<Integer> stopTokenIds) {
        this(temperature, topP, topK, seed, maxNewTokens, stopTokenIds, false);
    }

    public SamplingConfig {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0 (0 = greedy), got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be > 0, got " + maxNewTokens);
        }
        stopTokenIds = List.copyOf(stopTokenIds);
    }

    /** Argmax decoding of exactly {@code maxNewTokens} tokens (no stop tokens). */
    public static SamplingConfig greedy(int maxNewTokens) {
        return new SamplingConfig(0, 1, 0, 0, maxNewTokens, List.of());
    }

    /** Plain sampling at temperature 1 from the full distribution. */
    public static SamplingConfig sample(long seed, int maxNewTokens, List<Integer> stopTokenIds) {
        return new SamplingConfig(1, 1, 0, seed, maxNewTokens, stopTokenIds);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public boolean isStop(int token) {
        return stopTokenIds.contains(token);
    }
}
