package dev.echo4j.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.Sampler;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.sampling.SamplingResult;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.tokenizer.HfTokenizer;
import dev.echo4j.transcript.TokenRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts are token-in/token-out on Qwen3's real tokenizer: a Qwen3-architecture policy over the full
 * vocabulary (random weights: it samples any of Qwen3's tokens, byte fragments of characters among them, whose
 * text re-tokenises to other ids) plays real sandboxed episodes, and each turn's sampled ids reach the next turn's prompt, and the
 * training sequence, unchanged.
 */
class Qwen3TokenInTokenOutTest {

    private static final int TURNS = 3;

    /** The real sampler, with every call's prompts and results kept for the assertions. */
    private record Recorded(Sampler sampler, List<int[][]> prompts, List<SamplingResult> results) implements Sampler {
        @Override
        public SamplingResult generate(int[][] batch, SamplingConfig config) {
            SamplingResult result = sampler.generate(batch, config);
            prompts.add(batch);
            results.add(result);
            return result;
        }

        @Override
        public SamplingResult generate(int[][] batch, List<SamplingConfig> configs) {
            SamplingResult result = sampler.generate(batch, configs);
            prompts.add(batch);
            results.add(result);
            return result;
        }
    }

    @Test
    void sampledTokensReachTheNextPromptUnchanged(@TempDir Path tmp) {
        try (HfTokenizer tokenizer = HfTokenizer.qwen3()) {
            ChatTemplate template = new ChatTemplate(tokenizer);
            ModelConfig shape = new ModelConfig(tokenizer.vocabSize(), 8, 16, 1, 2, 1, 4, 1e-6, 1e6, true, 2048, null);
            Recorded sampler = new Recorded(new KvCacheDecoder(Qwen3Model.create(shape, 11)), new ArrayList<>(), new ArrayList<>());
            List<Task> tasks = TaskSets.prepare(tmp, Split.TRAIN, 1, 5);
            List<Rollout> rollouts;
            try (RolloutCollector collector = new RolloutCollector(sampler, template, SandboxConfig.defaults(),
                    new RolloutSettings(TURNS, 12, 5, 60, 256, 4096, 2, RolloutSettings.DEFAULT_GENERATION_BATCH))) {
                rollouts = collector.collect(tasks, 2, SamplingConfig.sample(3, 12, List.of(template.endOfTurnId())));
            }
            assertEquals(TURNS, sampler.prompts().size());
            int retokenisedDiffer = 0;
            for (int e = 0; e < rollouts.size(); e++) {
                int[] ids = rollouts.get(e).ids();
                for (int turn = 0; turn < TURNS; turn++) {
                    int[] prompt = sampler.prompts().get(turn)[e];
                    int[] sampled = sampler.results().get(turn).sequences().get(e).tokens();
                    assertArrayEquals(prompt, Arrays.copyOf(ids, prompt.length), "turn " + turn + "'s prompt opens the rollout");
                    assertArrayEquals(sampled, Arrays.copyOfRange(ids, prompt.length, prompt.length + sampled.length),
                            "turn " + turn + "'s sampled ids follow its prompt as sampled");
                    for (int i = prompt.length; i < prompt.length + sampled.length; i++) {
                        assertEquals(TokenRole.ACTION.id(), rollouts.get(e).roles()[i]);
                    }
                    if (turn + 1 < TURNS) {
                        int[] next = sampler.prompts().get(turn + 1)[e];
                        assertArrayEquals(Arrays.copyOf(ids, prompt.length + sampled.length), Arrays.copyOf(next, prompt.length + sampled.length),
                                "turn " + (turn + 1) + "'s prompt holds turn " + turn + "'s ids unchanged");
                    }
                    if (!Arrays.equals(sampled, tokenizer.encode(tokenizer.decode(sampled)))) {
                        retokenisedDiffer++;
                    }
                }
            }
            assertTrue(retokenisedDiffer >= 1, "a turn whose text re-tokenises to other ids (a character split over tokens), "
                    + "so that re-tokenising would fail this test");
        }
    }
}
