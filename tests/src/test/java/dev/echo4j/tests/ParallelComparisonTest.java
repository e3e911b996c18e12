package dev.echo4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.eval.Comparison;
import dev.echo4j.eval.HeldoutSuite;
import dev.echo4j.eval.PeriodicEvaluation;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.MetricsLog;
import dev.echo4j.train.Mode;
import dev.echo4j.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A comparison's runs trained two at a time in one JVM are the same runs as trained one after another: same
 * rollouts, same updates, same evaluations (one after each step; the last is the run's final evaluation). The
 * miniature is GRPO and ECHO for one seed, two steps each.
 */
class ParallelComparisonTest {

    private static final Path BASE = Path.of(System.getProperty("echo4j.home", ".."), "zoo-configs", "checkpoints", "tiny-sft");

    /** Wall-clock figures, the only ones allowed to differ. */
    private static final List<String> TIMINGS = List.of("rollout_seconds", "update_seconds");

    @Test
    void twoJobsTrainAndEvaluateTheSameRunsAsOne(@TempDir Path tmp) throws Exception {
        TrainConfig cfg = TrainConfig.load("compare-miniature", List.of("base_checkpoint=" + BASE, "steps=2", "prompts_per_step=2",
                "group_size=2", "rollout.max_turns=2", "rollout.max_new_tokens=48", "tasks.train_count=8", "tasks.heldout_count=3",
                "eval.samples=1", "eval.k=1", "eval.every=1"));
        HeldoutSuite heldout = HeldoutSuite.prepare(tmp.resolve("tasks"), cfg.tasks(), SandboxConfig.defaults(), cfg.rollout(), i -> { });
        Map<String, Comparison.Arm> sequential = compare(cfg, heldout, tmp, "one", 1);
        Map<String, Comparison.Arm> parallel = compare(cfg, heldout, tmp, "two", 2);

        assertEquals(sequential.keySet(), parallel.keySet());
        for (String arm : List.of("grpo", "echo")) {
            assertEquals(sequential.get(arm).results(), parallel.get(arm).results(), arm + "'s evaluation");
            List<Map<String, Object>> one = withoutTimings(sequential.get(arm).runs().get(0));
            assertEquals(2, one.size());
            assertEquals(one, withoutTimings(parallel.get(arm).runs().get(0)), arm + "'s metrics, step by step");
            List<Map<String, Object>> periodic = MetricsLog.read(parallel.get(arm).runs().get(0).resolve(PeriodicEvaluation.FILE));
            assertEquals(List.of(1L, 2L), periodic.stream().map(r -> ((Number) r.get("step")).longValue()).toList());
            assertEquals(parallel.get(arm).results().get(0).metrics(), withoutStep(periodic.get(1)),
                    "the final evaluation is the last step's periodic one, not a second evaluation");
        }
        new Comparison(cfg, tmp.resolve("two"), tmp.resolve("tasks"), SandboxConfig.defaults()).report(parallel);
        assertTrue(Files.size(tmp.resolve("two/compare.png")) > 0);
    }

    private static Map<String, Double> withoutStep(Map<String, Object> row) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (!k.equals("step")) {
                metrics.put(k, ((Number) v).doubleValue());
            }
        });
        return metrics;
    }

    private static Map<String, Comparison.Arm> compare(TrainConfig cfg, HeldoutSuite heldout, Path tmp, String name, int jobs) {
        AtomicInteger steps = new AtomicInteger();
        Map<String, Comparison.Arm> results = new Comparison(cfg, tmp.resolve(name), tmp.resolve("tasks"), SandboxConfig.defaults())
                .run(List.of(Mode.GRPO, Mode.ECHO), List.of(1L), heldout, jobs, new Comparison.Training() {
                    @Override
                    public EchoTrainer.StepListener started(String label, long completedSteps) {
                        return (done, metrics) -> steps.incrementAndGet();
                    }

                    @Override
                    public boolean stopRequested() {
                        return false;
                    }
                }).orElseThrow();
        assertEquals(4, steps.get(), "two runs of two steps reported to the caller");
        assertTrue(results.get("base").results().get(0).tasks() == 3);
        return results;
    }

    private static List<Map<String, Object>> withoutTimings(Path run) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : MetricsLog.read(run.resolve("metrics.jsonl"))) {
            Map<String, Object> kept = new LinkedHashMap<>(row);
            TIMINGS.forEach(kept::remove);
            rows.add(kept);
        }
        return rows;
    }
}
