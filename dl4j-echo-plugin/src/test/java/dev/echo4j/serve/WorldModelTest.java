package dev.echo4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.sampling.SamplingResult;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.tokenizer.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The world model's prompt, prediction and scoring, checked against the KV-cache decoder's own numbers. */
class WorldModelTest {

    private static final List<ChatMessage> CONTEXT = List.of(ChatMessage.system("You are an agent."), ChatMessage.user("Look around."));
    private static InferenceEngine engine;
    private static KvCacheDecoder reference;

    @BeforeAll
    static void load() {
        engine = new InferenceEngine(Qwen3Model.create(ModelConfig.zoo("tiny"), 8), new ByteTokenizer(), EngineSettings.DEFAULTS);
        reference = new KvCacheDecoder(Qwen3Model.create(ModelConfig.zoo("tiny"), 8));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void promptEndsInsideTheObservationHeader() {
        WorldModel world = new WorldModel(engine);
        String text = engine.tokenizer().decode(world.prompt(CONTEXT, "ls -l"));
        assertTrue(text.endsWith("<|im_start|>assistant\n<bash>ls -l</bash><|im_end|>\n<|im_start|>user\nCommand 'ls -l' "), text);
        assertTrue(text.startsWith("<|im_start|>system\nYou are an agent.<|im_end|>\n"), text);
    }

    @Test
    void scoringTheGreedyPredictionGivesTheDecodersLogProbs() {
        WorldModel world = new WorldModel(engine);
        int[] prompt = world.prompt(CONTEXT, "cat notes.txt");
        SamplingResult greedy = reference.generate(new int[][] {prompt}, SamplingConfig.greedy(10));
        WorldModel.Prediction p = world.predict(CONTEXT, "cat notes.txt", 10).join();
        assertEquals("Command 'cat notes.txt' " + engine.tokenizer().decode(greedy.tokens(0)), p.observation());
        float[] scored = engine.score(prompt, greedy.tokens(0)).join();
        assertArrayEquals(greedy.logProbs(0), scored, 1e-3f, "one full forward pass agrees with incremental decoding");

        String observation = WorldModel.observationPrefix("cat notes.txt") + engine.tokenizer().decode(greedy.tokens(0));
        WorldModel.Score score = world.score(CONTEXT, "cat notes.txt", observation).join();
        double mean = 0;
        for (float lp : greedy.logProbs(0)) {
            mean -= lp / greedy.logProbs(0).length;
        }
        assertEquals(mean, score.crossEntropy(), 1e-3);
    }

    @Test
    void anObservationOfAnotherCommandIsRefused() {
        WorldModel world = new WorldModel(engine);
        assertThrows(IllegalArgumentException.class, () -> world.score(CONTEXT, "ls", "Command 'pwd' executed successfully. Output:\n/app\n"));
        assertThrows(IllegalArgumentException.class, () -> world.prompt(CONTEXT, " "));
    }
}
