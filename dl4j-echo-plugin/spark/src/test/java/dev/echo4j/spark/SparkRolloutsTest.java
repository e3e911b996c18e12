package dev.echo4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.model.Checkpoint;
import dev.echo4j.rollout.PolicySend;
import dev.echo4j.rollout.Rollout;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.rollout.RolloutsFailedException;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.MetricsLog;
import dev.echo4j.train.RunDirectory;
import dev.echo4j.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts on Spark in local mode (two task threads, two attempts per task) with the shipped tiny policy: the
 * same episodes as the local collector, token for token; the policy sent once while it does not change, and each
 * training step's send logged in metrics.jsonl; a task
 * that keeps failing ends the step in one line; executors without bubblewrap refuse before any episode.
 */
class SparkRolloutsTest {

    /**
     * Log-probs come from a batched prefill whose padding and matrix shapes depend on which episodes share the batch,
     * so they agree to float32 rounding, not bit for bit (the sampled tokens, drawn from per-episode streams, agree exactly).
     */
    private static final float LOGP_ROUNDING = 1e-4f;

    private static final RolloutSettings SETTINGS = new RolloutSettings(2, 24, 5, 60, 256, 1280, 2, RolloutSettings.DEFAULT_GENERATION_BATCH);

    private static final Path BASE = Path.of(System.getProperty("echo4j.home", "../.."), "zoo-configs", "checkpoints", "tiny-sft");

    @TempDir
    static Path tmp;

    private static Checkpoint.Loaded policy;
    private static List<Task> tasks;
    private static SparkCluster cluster;

    @BeforeAll
    static void start() {
        policy = Checkpoint.load(BASE);
        tasks = TaskSets.prepare(tmp.resolve("tasks"), Split.TRAIN, 2, 5);
        cluster = new SparkCluster(SparkCluster.conf("local[2,2]", Map.of()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static SamplingConfig sampling(long seed) {
        return new SamplingConfig(0.8, 1, 0, seed, SETTINGS.maxNewTokens(), List.of(new ChatTemplate(policy.tokenizer()).endOfTurnId()));
    }

    @Test
    void sameRolloutsAsLocalCollectionTokenForToken() {
        List<Rollout> local;
        try (RolloutEngine engine = RolloutEngine.Factory.LOCAL.open(policy.model(), policy.tokenizer(), SandboxConfig.defaults(), SETTINGS)) {
            local = engine.collect(tasks, 3, sampling(11));
        }
        List<Rollout> spark;
        try (SparkRolloutEngine engine = cluster.openEngine(policy.model(), policy.tokenizer(), SandboxConfig.defaults(), SETTINGS)) {
            spark = engine.collect(tasks, 3, sampling(11));
            PolicySend first = engine.lastPolicySend().orElseThrow();
            List<Rollout> again = engine.collect(tasks, 3, sampling(11));
            PolicySend second = engine.lastPolicySend().orElseThrow();
            assertTrue(first.resent() && first.bytes() > 1_000_000, "the first step sends the policy: " + first);
            assertEquals(new PolicySend(false, 0, second.seconds()), second, "an unchanged policy is not sent again");
            assertEquals(spark.get(5).transcript().messages(), again.get(5).transcript().messages());
        }
        assertEquals(6, spark.size());
        for (int i = 0; i < local.size(); i++) {
            Rollout a = local.get(i);
            Rollout b = spark.get(i);
            assertEquals(a.group(), b.group());
            assertArrayEquals(a.ids(), b.ids(), "episode " + i + ": token ids");
            assertArrayEquals(a.roles(), b.roles(), "episode " + i + ": roles");
            assertArrayEquals(a.logProbs(), b.logProbs(), LOGP_ROUNDING, "episode " + i + ": sampled log-probs");
            assertEquals(a.reward(), b.reward(), "episode " + i + ": reward");
            assertEquals(a.transcript().messages(), b.transcript().messages(), "episode " + i + ": transcript");
            assertEquals(a.transcript().task(), b.transcript().task(), "episode " + i + ": task name");
            assertEquals(a.generated(), b.generated());
        }
        assertTrue(local.stream().anyMatch(r -> r.generated() > 0));
    }

    @Test
    void trainingLogsThePolicyBroadcastOfEachStep() throws Exception {
        TrainConfig cfg = TrainConfig.load("train-tiny", List.of("base_checkpoint=" + BASE, "steps=2", "prompts_per_step=2", "group_size=2",
                "checkpoint_every=0", "rollout.max_turns=2", "rollout.max_new_tokens=24", "tasks.train_count=4"));
        RunDirectory run = new RunDirectory(tmp.resolve("run"), tmp.resolve("tasks"));
        try (EchoTrainer trainer = new EchoTrainer(cfg, run, SandboxConfig.defaults(), false, cluster)) {
            trainer.train((done, m) -> { }, () -> false);
        }
        List<Map<String, Object>> rows = MetricsLog.read(run.metricsFile());
        assertEquals(2, rows.size());
        Map<String, Object> first = rows.get(0);
        Map<String, Object> second = rows.get(1);
        assertEquals(true, first.get("policy_resent"), first.toString());
        assertTrue(((Number) first.get("policy_broadcast_bytes")).longValue() > 1_000_000, first.toString());
        boolean updated = ((Number) first.get("grad_norm")).doubleValue() > 0;   // a zero gradient leaves Adam's weights as they were
        assertEquals(updated, second.get("policy_resent"), "the second step sends the policy only if the first one changed it: " + second);
        assertEquals(updated ? first.get("policy_broadcast_bytes") : 0, second.get("policy_broadcast_bytes"), second.toString());
        for (Map<String, Object> row : rows) {
            assertTrue(((Number) row.get("policy_broadcast_seconds")).doubleValue() >= 0, row.toString());
        }
    }

    @Test
    void aTaskThatKeepsFailingEndsTheStepInOneLine() {
        try (SparkRolloutEngine engine = cluster.openEngine(policy.model(), policy.tokenizer(), SandboxConfig.defaults(), SETTINGS)) {
            List<EpisodeWork> works = List.of(new EpisodeWork(0, 0, "good", TaskArchive.pack(tasks.get(0).dir())),
                    new EpisodeWork(1, 0, "broken", new byte[] {1, 2, 3}));
            RolloutsFailedException e = assertThrows(RolloutsFailedException.class, () -> engine.play(works, sampling(3)));
            assertTrue(e.getMessage().startsWith("the step's episodes failed on the Spark cluster after its retries: "), e.getMessage());
            assertTrue(e.getMessage().contains("failed 2 times"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void executorsWithoutBubblewrapRefuseWithTheInstallCommand() {
        SandboxConfig missing = SandboxConfig.defaults().withBwrapPath(tmp.resolve("no-bwrap"));
        SandboxUnavailableException e = assertThrows(SandboxUnavailableException.class,
                () -> cluster.open(policy.model(), policy.tokenizer(), missing, SETTINGS));
        assertTrue(e.getMessage().contains("have no bubblewrap at " + tmp.resolve("no-bwrap")), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install -y bubblewrap"), e.getMessage());
    }
}
