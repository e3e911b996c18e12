package dev.echo4j.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
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

    /** The headline scores by the names the metrics files and tuning tables use. */
    @JsonIgnore
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("pass1", pass1);
        m.put("pass_k", passK);
        m.put("reward_mean", rewardMean);
        m.put("env_ce", envCrossEntropy);
        m.put("seen_pass1", seenFamilies.pass1());
        m.put("heldout_only_pass1", heldoutOnly.pass1());
        return m;
    }

    /** pass@1 and pass@k over a group of tasks (NaN when the group is empty). */
    public record Scores(int tasks, double pass1, double passK) {
    }
}
