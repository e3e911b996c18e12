package dev.echo4j.eval;

import java.util.Map;

/**
 * A policy's held-out scores.
 *
 * @param pass1          mean over tasks of the share of passing samples
 * @param passK          unbiased pass@k, averaged over tasks
 * @param rewardMean     mean verifier reward over all samples
 * @param envCrossEntropy world-model quality: nats per terminal-output token on fixed held-out transcripts
 *                       the policy did not generate
 * @param perFamily      pass@1 per task family
 */
public record EvalResult(int tasks, int samples, int k, double pass1, double passK, double rewardMean, double envCrossEntropy,
                         Map<String, Double> perFamily) {
}
