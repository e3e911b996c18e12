package dev.echo4j.objective;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * GRPO's advantages: each rollout's reward relative to the other rollouts of the same task. A group
 * whose rewards are all equal teaches the policy nothing and gets zeros (not 0/0).
 */
public final class GroupAdvantages {

    /** Standard deviation guard, as in the spec. */
    public static final double EPS = 1e-6;

    /** How the centred rewards are scaled. */
    public enum Scale {
        /** Divide by the group's standard deviation (Bessel-corrected): GRPO. */
        GROUP("group"),
        /** Centre only: Dr. GRPO, which avoids favouring groups with little spread. */
        NONE("none");

        private final String id;

        Scale(String id) {
            this.id = id;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static Scale fromId(String id) {
            return Arrays.stream(values()).filter(v -> v.id.equals(id)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("advantage scale: unknown value '" + id + "'; allowed: group, none"));
        }
    }

    private GroupAdvantages() {
    }

    /** Advantages of one group's rewards. */
    public static double[] of(double[] rewards, Scale scale) {
        int g = rewards.length;
        for (int i = 0; i < g; i++) {
            if (!Double.isFinite(rewards[i])) {
                throw new IllegalArgumentException("reward[" + i + "] = " + rewards[i] + ": rewards must be finite");
            }
        }
        double[] advantages = new double[g];
        if (g < 2 || Arrays.stream(rewards).allMatch(r -> r == rewards[0])) {
            return advantages;
        }
        double mean = Arrays.stream(rewards).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(rewards).map(r -> (r - mean) * (r - mean)).sum() / (g - 1));
        double divisor = scale == Scale.GROUP ? std + EPS : 1.0;
        for (int i = 0; i < g; i++) {
            advantages[i] = (rewards[i] - mean) / divisor;
        }
        return advantages;
    }

    /** Advantages of consecutive groups of {@code groupSize} rollouts laid out one after another. */
    public static double[] ofFlat(double[] rewards, int groupSize, Scale scale) {
        if (groupSize < 1 || rewards.length % groupSize != 0) {
            throw new IllegalArgumentException("group_size = " + groupSize + " does not divide the " + rewards.length + " rewards");
        }
        double[] out = new double[rewards.length];
        for (int start = 0; start < rewards.length; start += groupSize) {
            double[] group = of(Arrays.copyOfRange(rewards, start, start + groupSize), scale);
            System.arraycopy(group, 0, out, start, groupSize);
        }
        return out;
    }
}
