package dev.echo4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.model.Checkpoint;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.MetricsLog;
import dev.echo4j.train.RunDirectory;
import dev.echo4j.train.TrainConfig;
import dev.echo4j.train.TrainingCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A miniature ECHO run through the real sandbox, from the shipped base policy: two steps, a checkpoint,
 * a resume that continues at step three, and a reloaded checkpoint that gives the same logits.
 */
class EndToEndTrainingTest {

    private static final Path BASE = Path.of(System.getProperty("echo4j.home", ".."), "zoo-configs", "checkpoints", "tiny-base");

    private static TrainConfig config(int steps) {
        return TrainConfig.load("train-tiny", List.of("base_checkpoint=" + BASE, "steps=" + steps, "prompts_per_step=2",
                "group_size=2", "checkpoint_every=2", "rollout.max_turns=2", "rollout.max_new_tokens=64",
                "rollout.max_sequence_tokens=1024", "tasks.train_count=8", "sampling.temperature=0.3"));
    }

    @Test
    void trainsCheckpointsResumesAndReloads(@TempDir Path tmp) throws Exception {
        RunDirectory run = new RunDirectory(tmp.resolve("run"), tmp.resolve("tasks"));
        int[][] ids = {{257, 115, 121, 115, 10, 104, 105}};
        int[][] mask = {{1, 1, 1, 1, 1, 1, 1}};
        INDArray trainedLogits;
        try (EchoTrainer trainer = new EchoTrainer(config(2), run, SandboxConfig.defaults(), false)) {
            trainer.train((done, m) -> { }, () -> false);
            trainedLogits = trainer.model().forward(ids, mask);
        }
        List<Map<String, Object>> rows = MetricsLog.read(run.metricsFile());
        assertEquals(2, rows.size());
        for (Map<String, Object> row : rows) {
            for (String key : List.of("loss", "policy_loss", "env_loss", "env_ce", "entropy", "grad_norm", "reward_mean")) {
                double v = ((Number) row.get(key)).doubleValue();
                assertTrue(Double.isFinite(v), key + " = " + v + " in " + row);
            }
            assertTrue(((Number) row.get("tokens_generated")).longValue() > 0, row.toString());
        }
        assertTrue(rows.stream().anyMatch(r -> ((Number) r.get("env_loss")).doubleValue() > 0),
                "the base policy's rollouts reach the terminal, so ECHO's env term is active: " + rows);
        assertTrue(Files.size(run.curvesFile()) > 0);
        assertTrue(Files.size(run.transcriptsFile()) > 0);

        Path latest = run.dir().resolve("checkpoints").resolve("step-000002");
        INDArray reloaded = Checkpoint.load(TrainingCheckpoints.policyDir(latest)).model().forward(ids, mask);
        assertEquals(trainedLogits, reloaded, "a reloaded checkpoint gives the trained model's logits");

        try (EchoTrainer resumed = new EchoTrainer(config(3), run, SandboxConfig.defaults(), true)) {
            assertEquals(2, resumed.completedSteps());
            assertEquals(trainedLogits, resumed.model().forward(ids, mask));
            resumed.train((done, m) -> { }, () -> false);
            assertEquals(3, resumed.completedSteps());
        }
        List<Map<String, Object>> after = MetricsLog.read(run.metricsFile());
        assertEquals(List.of(1, 2, 3), after.stream().map(r -> ((Number) r.get("step")).intValue()).toList());
    }
}
