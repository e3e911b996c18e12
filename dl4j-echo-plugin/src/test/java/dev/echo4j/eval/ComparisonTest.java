package dev.echo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.train.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    @Test
    void anEvaluationRoundTripsThroughJsonAsAComparisonKeepsIt() throws Exception {
        EvalResult r = new EvalResult(36, 8, 4, 0.4, 0.5, 0.4, 1.7, Map.of("locate", 0.25, "repair", 1.0),
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
    void armsDifferSeedForSeed() {
        Comparison.Arm grpo = arm(Mode.GRPO, List.of(1L, 2L, 3L), 0.5, 0.25, 0.5);
        Comparison.Arm echo = arm(Mode.ECHO, List.of(3L, 2L, 1L), 0.75, 0.25, 0.5);
        String line = Comparison.pairedDifference(echo, grpo);
        assertTrue(line.contains("+0.2500 (seed 3), +0.0000 (seed 2), +0.0000 (seed 1)"), line);
        assertTrue(line.contains("mean ± sd 0.0833 ± 0.1443"), line);
    }

    private static Comparison.Arm arm(Mode mode, List<Long> seeds, double... pass1) {
        List<EvalResult> results = java.util.Arrays.stream(pass1).mapToObj(p -> new EvalResult(1, 1, 1, p, p, p, 1, Map.of(),
                new EvalResult.Scores(1, p, p), new EvalResult.Scores(0, Double.NaN, Double.NaN))).toList();
        return new Comparison.Arm(mode, seeds, results, List.of());
    }

    @Test
    void stepsToBestSummariesSayHowManyRunsReachedIt() {
        assertEquals("3 (1/1 reached)", Comparison.stepsSummary(List.of(3.0)), "one run has no spread to show");
        assertEquals("3 (1/2 reached)", Comparison.stepsSummary(List.of(3.0, Double.NaN)));
        assertEquals("3.0 ± 1.4 (2/2 reached)", Comparison.stepsSummary(List.of(2.0, 4.0)));
        assertEquals("- (0/1 reached)", Comparison.stepsSummary(List.of(Double.NaN)));
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
