package dev.echo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    @Test
    void anEvaluationRoundTripsThroughJsonAsAComparisonKeepsIt() throws Exception {
        EvalResult r = new EvalResult(36, 8, 4, 0.4, 0.5, 0.4, 1.7, java.util.Map.of("locate", 0.25, "repair", 1.0),
                new EvalResult.Scores(24, 0.6, 0.7), new EvalResult.Scores(12, Double.NaN, Double.NaN));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        EvalResult back = json.readValue(json.writeValueAsString(r), EvalResult.class);
        assertEquals(r.toString(), back.toString());
    }

    @Test
    void theHeldOutCurveRunsFromTheBaseThroughThePeriodicEvaluationsToTheFinalOne(@TempDir Path run) throws Exception {
        Files.writeString(run.resolve(PeriodicEvaluation.FILE), "{\"step\":4,\"pass1\":0.25}\n{\"step\":8,\"pass1\":0.5}\n");
        NavigableMap<Long, Double> curve = Comparison.heldoutCurve(0.1, run, 10, 0.75);
        assertEquals(List.of(0L, 4L, 8L, 10L), List.copyOf(curve.keySet()));
        assertEquals(List.of(0.1, 0.25, 0.5, 0.75), List.copyOf(curve.values()));
        assertEquals(8.0, Comparison.stepsToReach(curve, 0.5));
        assertTrue(Double.isNaN(Comparison.stepsToReach(curve, 0.8)));
        assertEquals(4.0, Comparison.stepsToReach(curve, 0.1), "the base's own point (step 0) does not count as reaching");
        Files.delete(run.resolve(PeriodicEvaluation.FILE));
        assertEquals(2, Comparison.heldoutCurve(0.1, run, 10, 0.75).size(), "without eval.every: the base and the final evaluation");
    }

    @Test
    void stepsToReachCountFromOneOnTheSmoothedCurve() {
        List<Double> grpo = Comparison.smoothed(List.of(0.0, 0.5, 0.5, 0.0, 1.0, 1.0, 0.5, 0.5));
        assertEquals(0.25, grpo.get(1), 1e-12);
        assertEquals(0.4, grpo.get(4), 1e-12);
        double best = grpo.stream().mapToDouble(d -> d).max().orElseThrow();
        assertEquals(0.6, best, 1e-12);
        assertEquals(6.0, Comparison.stepsToReach(grpo, best));
        List<Double> echo = Comparison.smoothed(List.of(0.5, 1.0, 1.0, 0.0, 0.5, 0.0));
        assertEquals(2.0, Comparison.stepsToReach(echo, best), "smoothed 0.5, 0.75: GRPO's best (0.6) reached at step 2");
        assertTrue(Double.isNaN(Comparison.stepsToReach(List.of(0.1, 0.2), best)));
    }
}
