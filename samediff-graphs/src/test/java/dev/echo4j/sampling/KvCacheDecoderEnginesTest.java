package dev.echo4j.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.KvCacheDecoder.Engine;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The Java decoding step against the SameDiff decoding graph and the full forward pass. */
class KvCacheDecoderEnginesTest {

    /** Five prompts (a block of four sequences and one more) of different lengths, so the batch is left-padded. */
    private static final int[][] PROMPTS = {{5, 17, 20, 3, 9, 4, 7}, {26}, {1, 2, 3}, {7, 8, 9, 10, 11}, {30, 31}};
    private static final int STEPS = 24;

    /**
     * tiny: 4 query heads on 2 key/value heads, tied head. Then groups of 3, an untied head, odd sizes and a
     * gate+up projection wider than a column tile of the Java kernel. Then one query head per key/value head.
     */
    static Stream<ModelConfig> configs() {
        return Stream.of(
                ModelConfig.zoo("tiny"),
                new ModelConfig(61, 48, 600, 2, 6, 2, 16, 1e-6, 10000, false, 512, null),
                new ModelConfig(40, 32, 64, 3, 2, 2, 16, 1e-5, 1e6, true, 512, null));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void javaStepLogitsEqualTheGraphsAndTheFullForwardPasss(ModelConfig config) {
        Qwen3Model model = model(config);
        DecodingSession java = new KvCacheDecoder(model, Engine.JAVA).session();
        DecodingSession graph = new KvCacheDecoder(model, Engine.GRAPH).session();
        DecodingSession full = new FullForwardSampler(model).session();
        float[][] expected = full.prefill(PROMPTS);
        assertClose(expected, java.prefill(PROMPTS), "prefill");
        graph.prefill(PROMPTS);
        SplittableRandom random = new SplittableRandom(3);
        for (int step = 0; step < STEPS; step++) {
            int[] tokens = random.ints(PROMPTS.length, 0, config.vocabSize()).toArray();
            float[][] javaLogits = java.step(tokens);
            assertClose(graph.step(tokens), javaLogits, "step " + step + " against the graph");
            assertClose(full.step(tokens), javaLogits, "step " + step + " against the full forward pass");
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void greedyTokensAreTheSameWithEitherEngine(ModelConfig config) {
        Qwen3Model model = model(config);
        SamplingResult java = new KvCacheDecoder(model, Engine.JAVA).generate(PROMPTS, SamplingConfig.greedy(STEPS));
        SamplingResult graph = new KvCacheDecoder(model, Engine.GRAPH).generate(PROMPTS, SamplingConfig.greedy(STEPS));
        for (int b = 0; b < PROMPTS.length; b++) {
            assertArrayEquals(graph.tokens(b), java.tokens(b), "sequence " + b);
            assertEquals(STEPS, java.tokens(b).length);
        }
    }

    @Test
    void float32OnTheCpuDecodesInJavaAndOtherTypesInTheGraph() {
        Qwen3Model single = Qwen3Model.create(ModelConfig.zoo("tiny"), 1);
        Qwen3Model dbl = Qwen3Model.create(ModelConfig.zoo("tiny"), 1, DataType.DOUBLE);
        assertEquals(Engine.JAVA, new KvCacheDecoder(single).engine());
        assertEquals(Engine.GRAPH, new KvCacheDecoder(dbl).engine());
        assertThrows(IllegalArgumentException.class, () -> new KvCacheDecoder(dbl, Engine.JAVA));
    }

    /** The size the default engine weighs against the heap is the size of the copy the Java step makes. */
    @ParameterizedTest
    @MethodSource("configs")
    void theCopysSizeIsWhatTheJavaStepCopies(ModelConfig config) {
        CpuWeights copy = CpuWeights.of(model(config));
        long floats = copy.embed().length + copy.finalNorm().length + Stream.of(copy.head()).mapToLong(r -> r.length).sum();
        for (CpuWeights.Layer layer : copy.layers()) {
            floats += layer.attentionNorm().length + layer.queryNorm().length + layer.keyNorm().length + layer.mlpNorm().length;
            for (float[][] matrix : new float[][][] {layer.qkv(), layer.output(), layer.gateUp(), layer.down()}) {
                floats += Stream.of(matrix).mapToLong(r -> r.length).sum();
            }
        }
        assertEquals(Float.BYTES * floats, CpuWeights.bytes(config));
        assertTrue(CpuWeights.bytes(ModelConfig.zoo("qwen3-1.7b")) > (6L << 30) / 2, "Qwen3-1.7B's copy exceeds half the launcher's heap");
        assertTrue(CpuWeights.bytes(ModelConfig.zoo("qwen3-0.6b")) <= (6L << 30) / 2, "Qwen3-0.6B's copy fits half the launcher's heap");
    }

    @Test
    void aDecoderSeesWeightUpdatesBetweenSessionsAndAFrozenOneDecodesAlike() {
        Qwen3Model model = model(ModelConfig.zoo("tiny"));
        KvCacheDecoder live = new KvCacheDecoder(model, Engine.JAVA);
        int[] tokens = {1, 2, 3, 4, 5};
        assertClose(firstStep(live, tokens), firstStep(KvCacheDecoder.forFrozenWeights(model), tokens), "frozen decoder");
        model.weights().get("model.layers.0.mlp.down_proj.weight").muli(-1);   // a training update, in place
        assertClose(firstStep(new KvCacheDecoder(model, Engine.GRAPH), tokens), firstStep(live, tokens), "live decoder after an update");
    }

    @Test
    void aPinnedDecoderDecodesAsTheGraphAndANewPinSeesAnUpdate() {
        Qwen3Model model = model(ModelConfig.zoo("tiny"));
        int[] tokens = {1, 2, 3, 4, 5};
        float[][] before = firstStep(new KvCacheDecoder(model, Engine.GRAPH), tokens);
        KvCacheDecoder pinned = (KvCacheDecoder) new KvCacheDecoder(model, Engine.JAVA).pinned();
        assertClose(before, firstStep(pinned, tokens), "pinned decoder");
        model.weights().get("model.layers.0.mlp.down_proj.weight").muli(-1);   // a training update, in place
        float[][] after = firstStep(new KvCacheDecoder(model, Engine.GRAPH), tokens);
        assertClose(after, firstStep((KvCacheDecoder) new KvCacheDecoder(model, Engine.JAVA).pinned(), tokens), "pinned after the update");
        assertTrue(Math.abs(after[0][0] - before[0][0]) > 1e-4, "the update changed the logits");
        KvCacheDecoder graph = new KvCacheDecoder(model, Engine.GRAPH);
        assertEquals(graph, graph.pinned(), "the graph engine reads the weights live: nothing to pin");
    }

    private static float[][] firstStep(KvCacheDecoder decoder, int[] tokens) {
        DecodingSession session = decoder.session();
        session.prefill(PROMPTS);
        return session.step(tokens);
    }

    /**
     * A model with larger matrices than the 0.02 init (logits far from uniform, so argmax ties cannot flip)
     * and norm weights other than one (so a norm applied with the wrong weight shows).
     */
    private static Qwen3Model model(ModelConfig config) {
        Qwen3Model model = Qwen3Model.create(config, 11);
        Nd4j.getRandom().setSeed(12);
        model.weights().forEach((name, w) -> {
            if (w.rank() == 2) {
                w.muli(5);
            } else {
                w.assign(Nd4j.rand(DataType.FLOAT, w.shape()).addi(0.5));
            }
        });
        return model;
    }

    private static void assertClose(float[][] expected, float[][] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int b = 0; b < expected.length; b++) {
            assertEquals(expected[b].length, actual[b].length, what);
            for (int v = 0; v < expected[b].length; v++) {
                worst = Math.max(worst, Math.abs(expected[b][v] - actual[b][v]));
            }
        }
        assertTrue(worst <= 1e-4, what + ": max abs difference " + worst);
    }
}
