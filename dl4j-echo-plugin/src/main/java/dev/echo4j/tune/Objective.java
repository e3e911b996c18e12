package dev.echo4j.tune;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/**
 * What a search optimises: one metric of a trial, maximised or minimised, optionally with a second metric
 * (always minimised, e.g. env cross-entropy) that only breaks ties. Written {@code pass1} (pass@1, ties broken
 * by {@code env_ce}), {@code env_ce} (world-model cross-entropy alone), or {@code max:METRIC} / {@code min:METRIC}
 * for any metric a {@link Trial} reports.
 */
public record Objective(String metric, boolean minimize, String tieBreaker) {

    public static final Objective PASS1 = new Objective("pass1", false, "env_ce");
    public static final Objective ENV_CE = new Objective("env_ce", true, null);

    /** Small enough that the tie-breaker never outweighs one passing sample out of a million. */
    static final double TIE_WEIGHT = 1e-6;

    public Objective {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("objective: metric name is empty");
        }
    }

    @JsonCreator
    public static Objective parse(String text) {
        String t = text.trim();
        if (t.equals("pass1")) {
            return PASS1;
        }
        if (t.equals("env_ce")) {
            return ENV_CE;
        }
        if (t.startsWith("max:") || t.startsWith("min:")) {
            return new Objective(t.substring(4), t.startsWith("min:"), null);
        }
        throw new IllegalArgumentException("objective '" + text + "': use pass1, env_ce, max:METRIC or min:METRIC");
    }

    /**
     * The score Arbiter ranks by; NaN when the metric is missing or not finite (the trial then counts as failed).
     * A missing or non-finite tie-breaker contributes nothing.
     */
    public double score(Map<String, Double> metrics) {
        Double primary = metrics.get(metric);
        if (primary == null || !Double.isFinite(primary)) {
            return Double.NaN;
        }
        Double tie = tieBreaker == null ? null : metrics.get(tieBreaker);
        if (tie == null || !Double.isFinite(tie)) {
            return primary;
        }
        return primary + (minimize ? TIE_WEIGHT : -TIE_WEIGHT) * tie;
    }

    @JsonValue
    @Override
    public String toString() {
        if (this.equals(PASS1)) {
            return "pass1";
        }
        if (this.equals(ENV_CE)) {
            return "env_ce";
        }
        return (minimize ? "min:" : "max:") + metric;
    }
}
