package dev.echo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {

    @Test
    void zooConfigLoadsAndOverridesApplyLast() {
        TrainConfig c = TrainConfig.load("train-tiny", List.of("objective.lambda=0.01", "mode=grpo", "steps=7"));
        assertEquals(0.01, c.objective().lambda());
        assertEquals(Mode.GRPO, c.mode());
        assertEquals(7, c.steps());
        assertEquals(0.0, c.effectiveObjective().lambda(), "GRPO switches the env term off");
        assertEquals(0.2, c.objective().clipHigh(), "unset fields keep the paper's defaults");
    }

    @Test
    void envOnlyDropsThePolicyTerm() {
        TrainConfig c = TrainConfig.load(null, List.of("mode=env-only"));
        assertEquals(0.0, c.effectiveObjective().policyCoef());
        assertEquals(0.05, c.effectiveObjective().lambda());
    }

    @Test
    void savedConfigLoadsBackEqual(@TempDir Path dir) {
        TrainConfig c = TrainConfig.load("train-demo", List.of());
        Path file = dir.resolve("config.yaml");
        c.save(file);
        assertEquals(c, TrainConfig.load(file.toString(), List.of()));
    }

    @Test
    void badInputNamesTheProblem(@TempDir Path dir) throws Exception {
        assertMessage(() -> TrainConfig.load(null, List.of("objective.lamda=0.1")), "lamda");
        assertMessage(() -> TrainConfig.load(null, List.of("group_size=1")), "group_size", "at least 2");
        assertMessage(() -> TrainConfig.load(null, List.of("objective.clip_low=1.5")), "clip_low", "(0, 1)");
        assertMessage(() -> TrainConfig.load(null, List.of("mode=ppo")), "mode", "grpo, echo, env-only");
        assertMessage(() -> TrainConfig.load(null, List.of("mode=env-only", "objective.lambda=0")), "lambda");
        assertMessage(() -> TrainConfig.load(null, List.of("steps")), "key=value");
        assertMessage(() -> TrainConfig.load(null, List.of("rollout.generation_batch=0")), "rollout.generation_batch", "at least 1");
        assertMessage(() -> TrainConfig.load(null, List.of("nosuch.x=1")), "nosuch");
        assertMessage(() -> TrainConfig.load("no-such-config", List.of()), "no-such-config", "train-tiny");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "steps: [1, 2\n");
        assertMessage(() -> TrainConfig.load(broken.toString(), List.of()), "broken.yaml");
    }

    @Test
    void theKnobsOfTheReferenceAndThePeers() {
        TrainConfig d = TrainConfig.load(null, List.of());
        assertEquals(0.8, d.effectiveObjective().logprobTemperature(), 0, "policy log-probs at the sampling temperature, as the reference");
        assertEquals(1.0, TrainConfig.load(null, List.of("sampling.tempered_logprobs=false")).effectiveObjective().logprobTemperature(), 0);
        TrainConfig c = TrainConfig.load(null, List.of("objective.lambda_schedule={kind: step_decay, every: 10, factor: 0.5}",
                "objective.role_weights.env=0.5", "objective.role_weights.warning=0.1"));
        assertEquals(0.025, c.effectiveObjective().lambdaSchedule().at(0.05, 10), 1e-12);
        assertEquals(new dev.echo4j.objective.RoleWeights(1.0, 0.5, 0.1), c.effectiveObjective().roleWeights());
        assertMessage(() -> TrainConfig.load(null, List.of("objective.logprob_temperature=0.5")), "logprob_temperature", "tempered_logprobs");
        assertMessage(() -> TrainConfig.load(null, List.of("objective.lambda_schedule.kind=cosine")), "cosine", "linear_decay");
        assertMessage(() -> TrainConfig.load(null, List.of("objective.role_weights.env=-1")), "role_weights");
        assertMessage(() -> TrainConfig.load(null, List.of("tasks.families=[locate, nope]")), "nope", "read-value");
        assertMessage(() -> TrainConfig.load(null, List.of("tasks.split=heldout-only")), "tasks.split", "env-only");
        assertMessage(() -> TrainConfig.load(null, List.of("mode=env-only", "tasks.split=heldout")), "tasks.split", "never");
        assertEquals(dev.echo4j.task.suite.Split.HELDOUT_ONLY,
                TrainConfig.load(null, List.of("mode=env-only", "tasks.split=heldout-only")).tasks().trainingSplit());
    }

    private static void assertMessage(Runnable action, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }
}
