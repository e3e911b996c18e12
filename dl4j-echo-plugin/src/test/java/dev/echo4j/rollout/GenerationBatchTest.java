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
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.tokenizer.ChatTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollout.generation_batch} bounds how many episodes one generation holds (an evaluation's memory) without
 * changing a token: real sandboxed episodes of a real model, played in one batch and in batches of 2 and 4.
 */
class GenerationBatchTest {

    private static final ChatTemplate TEMPLATE = new ChatTemplate(new ByteTokenizer());

    @Test
    void batchesOfAnySizeSampleTheSameEpisodes(@TempDir Path tmp) {
        List<Task> tasks = TaskSets.prepare(tmp, Split.TRAIN, 3, 5);
        Qwen3Model model = Qwen3Model.create(ModelConfig.load("tiny"), 11);
        List<Rollout> whole = play(model, tasks, 6, new ArrayList<>());
        for (int batch : new int[] {2, 4}) {
            List<Integer> sizes = new ArrayList<>();
            List<Rollout> chunked = play(model, tasks, batch, sizes);
            assertTrue(sizes.stream().allMatch(n -> n <= batch), "generations of " + sizes + " episodes, bound " + batch);
            assertTrue(sizes.size() > 2, "several generations per turn: " + sizes);
            assertEquals(whole.size(), chunked.size());
            for (int i = 0; i < whole.size(); i++) {
                assertArrayEquals(whole.get(i).ids(), chunked.get(i).ids(), "episode " + i + " in batches of " + batch);
                assertArrayEquals(whole.get(i).logProbs(), chunked.get(i).logProbs(), 1e-5f, "episode " + i + " log-probs");
            }
        }
    }

    /** 3 tasks x 2 episodes, 2 turns of 12 tokens at temperature 1, recording how many prompts each generation got. */
    private static List<Rollout> play(Qwen3Model model, List<Task> tasks, int generationBatch, List<Integer> sizes) {
        Sampler decoder = new KvCacheDecoder(model);
        Sampler recording = new Sampler() {
            @Override
            public SamplingResult generate(int[][] prompts, SamplingConfig config) {
                sizes.add(prompts.length);
                return decoder.generate(prompts, config);
            }

            @Override
            public SamplingResult generate(int[][] prompts, List<SamplingConfig> configs) {
                sizes.add(prompts.length);
                return decoder.generate(prompts, configs);
            }
        };
        RolloutSettings settings = new RolloutSettings(2, 12, 5, 60, 256, 4096, 2, generationBatch);
        try (RolloutCollector collector = new RolloutCollector(recording, TEMPLATE, SandboxConfig.defaults(), settings)) {
            return collector.collect(tasks, 2, SamplingConfig.sample(3, 12, List.of(TEMPLATE.endOfTurnId())));
        }
    }
}
