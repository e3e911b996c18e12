package dev.echo4j.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.KvCacheDecoder.Engine;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class KvCacheDecoderTest {

    /** Prompts of different lengths, so the batch is left-padded. */
    private static final int[][] PROMPTS = {{5, 17, 200, 3, 99, 42, 7}, {256, 1, 2}, {77, 78, 79, 80, 81}};

    private static Qwen3Model model;

    @BeforeAll
    static void build() {
        model = Qwen3Model.create(ModelConfig.zoo("tiny"), 11);
        // Larger weights than the 0.02 init make the logits far from uniform, so argmax ties cannot flip.
        model.weights().forEach((name, w) -> { if (w.rank() == 2) w.muli(5); });
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void incrementalLogitsEqualFullForwardLogits(Engine engine) {
        DecodingSession cached = new KvCacheDecoder(model, engine).session();
        DecodingSession full = new FullForwardSampler(model).session();
        assertClose(full.prefill(PROMPTS), cached.prefill(PROMPTS), 1e-4);
        int[][] forced = {{10, 11, 12, 258, 9, 9}, {40, 41, 42, 43, 44, 45}, {257, 100, 101, 102, 103, 104}};
        for (int step = 0; step < forced[0].length; step++) {
            int[] tokens = new int[forced.length];
            for (int b = 0; b < forced.length; b++) {
                tokens[b] = forced[b][step];
            }
            assertClose(full.step(tokens), cached.step(tokens), 1e-4);
        }
    }

    /** One-token prompts: the training graph's blocked attention then runs on 1, 2, ... tokens, fewer than its blocks. */
    @Test
    void sequencesShorterThanTheAttentionBlocksMatchTheDecodingStep() {
        DecodingSession cached = new KvCacheDecoder(model, Engine.GRAPH).session();
        DecodingSession full = new FullForwardSampler(model).session();
        int[][] prompts = {{42}, {258}};
        assertClose(full.prefill(prompts), cached.prefill(prompts), 1e-4);
        for (int step = 0; step < 5; step++) {
            int[] tokens = {100 + step, 7 * step};
            assertClose(full.step(tokens), cached.step(tokens), 1e-4);
        }
    }

    @Test
    void leftPaddingDoesNotChangeASequencesLogits() {
        float[][] batched = new KvCacheDecoder(model).session().prefill(PROMPTS);
        for (int b = 0; b < PROMPTS.length; b++) {
            float[][] alone = new KvCacheDecoder(model).session().prefill(new int[][] {PROMPTS[b]});
            assertClose(new float[][] {alone[0]}, new float[][] {batched[b]}, 1e-4);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void greedyIncrementalDecodingEqualsGreedyFullForwardDecoding(Engine engine) {
        SamplingConfig greedy = SamplingConfig.greedy(12);
        SamplingResult cached = new KvCacheDecoder(model, engine).generate(PROMPTS, greedy);
        SamplingResult full = new FullForwardSampler(model).generate(PROMPTS, greedy);
        for (int b = 0; b < PROMPTS.length; b++) {
            assertArrayEquals(full.tokens(b), cached.tokens(b), "sequence " + b);
            assertEquals(12, cached.tokens(b).length);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void sameSeedSameSamplesAndStopTokensEndSequences(Engine engine) {
        SamplingConfig config = new SamplingConfig(1.0, 0.95, 50, 1234, 20, List.of(258, 10));
        SamplingResult first = new KvCacheDecoder(model, engine).generate(PROMPTS, config);
        SamplingResult second = new KvCacheDecoder(model, engine).generate(PROMPTS, config);
        SamplingResult other = new KvCacheDecoder(model, engine).generate(PROMPTS, new SamplingConfig(1.0, 0.95, 50, 99, 20, List.of(258, 10)));
        boolean differs = false;
        for (int b = 0; b < PROMPTS.length; b++) {
            assertArrayEquals(first.tokens(b), second.tokens(b));
            assertArrayEquals(first.logProbs(b), second.logProbs(b));
            differs |= !Arrays.equals(first.tokens(b), other.tokens(b));
            int[] tokens = first.tokens(b);
            for (int i = 0; i < tokens.length - 1; i++) {
                assertFalse(config.isStop(tokens[i]), "generation went on after a stop token");
            }
            boolean stopped = first.sequences().get(b).stopped();
            assertTrue(stopped ? config.isStop(tokens[tokens.length - 1]) : tokens.length == 20);
        }
        assertTrue(differs, "a different seed should give different samples");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void topKOneIsGreedy(Engine engine) {
        SamplingResult greedy = new KvCacheDecoder(model, engine).generate(PROMPTS, SamplingConfig.greedy(6));
        SamplingResult topOne = new KvCacheDecoder(model, engine).generate(PROMPTS, new SamplingConfig(0.7, 1.0, 1, 5, 6, List.of()));
        for (int b = 0; b < PROMPTS.length; b++) {
            assertArrayEquals(greedy.tokens(b), topOne.tokens(b));
        }
    }

    @Test
    void samplingFollowsTheTemperedDistribution() {
        TokenPicker picker = new TokenPicker(new SamplingConfig(2.0, 1.0, 0, 0, 1, List.of()));
        float[] logits = {0f, (float) Math.log(3), -50f};   // at temperature 2: p ~ 1 : sqrt(3) : 0
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        int[] counts = new int[3];
        for (int i = 0; i < 20000; i++) {
            TokenPicker.Pick pick = picker.pick(logits, random);
            counts[pick.token()]++;
            assertEquals(logits[pick.token()] - Math.log(4), pick.logProb(), 1e-5);   // untempered log-prob
        }
        double expected = 1 / (1 + Math.sqrt(3));
        assertEquals(expected, counts[0] / 20000.0, 0.015);
        assertEquals(0, counts[2]);
    }

    /** old_logp contract: the returned log-probs are the training graph's untempered log-softmax at those tokens. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void logProbsAreThePolicysUntemperedLogProbsAsTheTrainingGraphComputesThem(Engine engine) {
        SamplingConfig config = new SamplingConfig(1.7, 0.9, 0, 7, 8, List.of());
        SamplingResult result = new KvCacheDecoder(model, engine).generate(PROMPTS, config);
        for (int b = 0; b < PROMPTS.length; b++) {
            int[] prompt = PROMPTS[b];
            int[] tokens = result.tokens(b);
            // Right-padded full sequence, the way a trainer lays out transcripts.
            int width = 7 + 8;
            int[][] ids = new int[1][width];
            int[][] mask = new int[1][width];
            System.arraycopy(prompt, 0, ids[0], 0, prompt.length);
            System.arraycopy(tokens, 0, ids[0], prompt.length, tokens.length);
            Arrays.fill(mask[0], 0, prompt.length + tokens.length, 1);
            INDArray logits = model.forward(ids, mask);
            for (int i = 0; i < tokens.length; i++) {
                int t = prompt.length + i - 1;
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < logits.size(2); v++) {
                    max = Math.max(max, logits.getDouble(0, t, v));
                }
                double sum = 0;
                for (int v = 0; v < logits.size(2); v++) {
                    sum += Math.exp(logits.getDouble(0, t, v) - max);
                }
                double expected = logits.getDouble(0, t, tokens[i]) - max - Math.log(sum);
                assertEquals(expected, result.logProbs(b)[i], 1e-4, "sequence " + b + " token " + i);
            }
        }
    }

    private static void assertClose(float[][] expected, float[][] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int b = 0; b < expected.length; b++) {
            for (int v = 0; v < expected[b].length; v++) {
                worst = Math.max(worst, Math.abs(expected[b][v] - actual[b][v]));
            }
        }
        assertTrue(worst <= tolerance, "max abs difference " + worst + " > " + tolerance);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void perSequenceSettingsSampleEachSequenceAsItWouldBeSampledAlone(Engine engine) {
        List<SamplingConfig> configs = List.of(
                new SamplingConfig(1.0, 0.9, 0, 7, 9, List.of()),
                SamplingConfig.greedy(4),
                new SamplingConfig(0.7, 1, 20, 123, 6, List.of()));
        SamplingResult batched = new KvCacheDecoder(model, engine).generate(PROMPTS, configs, TokenListener.NONE);
        for (int b = 0; b < PROMPTS.length; b++) {
            SamplingResult alone = new KvCacheDecoder(model, engine).generate(new int[][] {PROMPTS[b]}, configs.get(b));
            assertArrayEquals(alone.tokens(0), batched.tokens(b), "sequence " + b);
            assertEquals(configs.get(b).maxNewTokens(), batched.tokens(b).length);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void listenerSeesEveryTokenInOrderAndCanEndOneSequence(Engine engine) {
        List<SamplingConfig> configs = List.of(SamplingConfig.greedy(10), SamplingConfig.greedy(10), SamplingConfig.greedy(10));
        int[][] seen = new int[3][10];
        int[] count = new int[3];
        SamplingResult result = new KvCacheDecoder(model, engine).generate(PROMPTS, configs, (sequence, token, logProb) -> {
            seen[sequence][count[sequence]++] = token;
            return !(sequence == 1 && count[sequence] == 3);
        });
        assertEquals(3, result.tokens(1).length, "the listener ended sequence 1 after its third token");
        assertFalse(result.sequences().get(1).stopped(), "ended by the listener, not by a stop token");
        for (int b = 0; b < 3; b++) {
            assertArrayEquals(result.tokens(b), Arrays.copyOf(seen[b], count[b]));
        }
        assertEquals(10, result.tokens(0).length);
    }
}
