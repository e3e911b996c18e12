package dev.echo4j.sampling;

import java.util.List;

/**
 * What a batch of generations produced, in prompt order. For each sequence: the new tokens (a stop token
 * included), and each token's log-probability under the policy, i.e. the untempered, unfiltered softmax of
 * the model's logits: the {@code old_logp} GRPO needs, equal to what the training graph computes for the
 * same tokens, whatever temperature, top-k or top-p were used to pick them.
 */
public record SamplingResult(List<Sequence> sequences) {

    /** One generated continuation; {@code stopped} when it ended on a stop token. */
    public record Sequence(int[] tokens, float[] logProbs, boolean stopped) {
    }

    public SamplingResult {
        sequences = List.copyOf(sequences);
    }

    public int size() {
        return sequences.size();
    }

    public int[] tokens(int sequence) {
        return sequences.get(sequence).tokens().clone();
    }

    public float[] logProbs(int sequence) {
        return sequences.get(sequence).logProbs().clone();
    }
}
