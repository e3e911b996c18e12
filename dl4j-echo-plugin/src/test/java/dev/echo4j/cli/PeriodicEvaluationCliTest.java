package dev.echo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.eval.PeriodicEvaluation;
import dev.echo4j.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval.every}: real held-out evaluations while a real run trains, one row per evaluation, kept once on resume. */
class PeriodicEvaluationCliTest {

    private static final String BASE = Path.of(System.getProperty("echo4j.home", ".."), "zoo-configs", "checkpoints", "tiny-base").toString();

    private static int train(Path dir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--run", dir.resolve("run").toString(),
                "--tasks-root", dir.resolve("tasks").toString(), "--set", "base_checkpoint=" + BASE, "--set", "prompts_per_step=1",
                "--set", "group_size=2", "--set", "rollout.max_turns=1", "--set", "rollout.max_new_tokens=16", "--set", "tasks.train_count=2",
                "--set", "tasks.heldout_count=2", "--set", "eval.samples=1", "--set", "eval.k=1"));
        args.addAll(List.of(more));
        return EchoCli.run(args.toArray(String[]::new));
    }

    @Test
    void everyNthStepIsEvaluatedOnTheHeldOutTasksAndKeptOnceOnResume(@TempDir Path dir) throws Exception {
        Path evaluations = dir.resolve("run").resolve(PeriodicEvaluation.FILE);
        assertEquals(0, train(dir, "--set", "steps=2", "--set", "eval.every=1"));
        List<Map<String, Object>> rows = MetricsLog.read(evaluations);
        assertEquals(List.of(1L, 2L), rows.stream().map(r -> ((Number) r.get("step")).longValue()).toList());
        for (Map<String, Object> row : rows) {
            double pass1 = ((Number) row.get("pass1")).doubleValue();
            double envCe = ((Number) row.get("env_ce")).doubleValue();
            assertTrue(pass1 >= 0 && pass1 <= 1, row.toString());
            assertTrue(envCe > 0 && Double.isFinite(envCe), "the world model's cross-entropy on the held-out transcripts: " + row);
        }

        assertEquals(0, train(dir, "--resume", "--set", "steps=4", "--set", "eval.every=2", "--allow-config-change"));
        assertEquals(List.of(1L, 2L, 4L), MetricsLog.read(evaluations).stream().map(r -> ((Number) r.get("step")).longValue()).toList());
    }

    @Test
    void noEvaluationWhileTrainingByDefault(@TempDir Path dir) {
        assertEquals(0, train(dir, "--set", "steps=1"));
        assertTrue(Files.exists(dir.resolve("run/metrics.jsonl")));
        assertFalse(Files.exists(dir.resolve("run").resolve(PeriodicEvaluation.FILE)));
    }
}
