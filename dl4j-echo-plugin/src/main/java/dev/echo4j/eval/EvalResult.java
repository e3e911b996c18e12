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
 * @param seenFamilies   pass@1 and pass@k on unseen seeds of the families training draws from
 * @param heldoutOnly    pass@1 and pass@k on the families only the held-out split has
 */
public record EvalResult(int tasks, int samples, int k, double pass1, double passK, double rewardMean, double envCrossEntropy,
                         Map<String, Double> perFamily, Scores seenFamilies, Scores heldoutOnly) {

    /** pass@1 and pass@k over a group of tasks (NaN when the group is empty). */
    public record Scores(int tasks, double pass1, double passK) {
    }
}
