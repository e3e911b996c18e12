package dev.echo4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.objective.EchoConfig;
import dev.echo4j.objective.RoleWeights;
import dev.echo4j.objective.EchoObjective;
import dev.echo4j.objective.EnvNormalization;
import dev.echo4j.objective.ObjectiveBatch;
import dev.echo4j.objective.PolicyReduction;
import dev.echo4j.samediff.Dl4jLogging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hand-derived backward pass against SameDiff's autodiff, in float64, for every weight: grouped and
 * plain multi-head attention, tied and untied heads, left and right padding.
 */
class Qwen3BackwardTest {

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("GQA, untied", new ModelConfig(23, 16, 24, 2, 4, 2, 4, 1e-6, 10000, false, 64, null)),
                Arguments.of("MHA, tied, 3 layers", new ModelConfig(19, 12, 20, 3, 2, 2, 6, 1e-6, 500, true, 64, null)),
                Arguments.of("groups of 3, tied", new ModelConfig(29, 18, 10, 1, 6, 2, 4, 1e-5, 10000, true, 64, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void matchesAutodiff(String label, ModelConfig config) {
        Qwen3Model model = model(config);
        Map<String, SDVariable> manual = model.backward(NextTokenLoss.attach(model).logitsGradient());
        Map<String, INDArray> in = inputs(config.vocabSize());
        in.put(NextTokenLoss.TARGETS, targets(config.vocabSize()));
        assertGradientsMatch(label, model, manual, in);
    }

    /**
     * Above {@link Qwen3Model#ONE_HOT_VOCAB_LIMIT} the embedding is a gather, whose gradient SameDiff M2.1's
     * autodiff gets wrong: the embedding's gradient is checked against central finite differences instead.
     */
    @Test
    void gatheredEmbeddingMatchesFiniteDifferences() {
        ModelConfig config = new ModelConfig(Qwen3Model.ONE_HOT_VOCAB_LIMIT + 7, 8, 12, 1, 2, 1, 4, 1e-6, 10000, true, 64, null);
        Qwen3Model model = model(config);
        Map<String, SDVariable> manual = model.backward(NextTokenLoss.attach(model).logitsGradient());
        Map<String, INDArray> in = inputs(config.vocabSize());
        in.put(NextTokenLoss.TARGETS, targets(config.vocabSize()));
        String embed = Qwen3Model.EMBED;
        INDArray gradient = model.sd().output(in, manual.get(embed).name()).get(manual.get(embed).name());
        INDArray weight = model.sd().getArrForVarName(embed);
        double h = 1e-6;
        // rows of input tokens (7 twice), of target-only tokens (18: through the tied head alone), and an unused row
        for (int[] at : new int[][] {{5, 0}, {7, 3}, {17, 6}, {14, 1}, {18, 2}, {4000, 5}}) {
            double original = weight.getDouble(at[0], at[1]);
            weight.putScalar(at[0], at[1], original + h);
            double up = model.sd().output(in, NextTokenLoss.LOSS).get(NextTokenLoss.LOSS).getDouble(0);
            weight.putScalar(at[0], at[1], original - h);
            double down = model.sd().output(in, NextTokenLoss.LOSS).get(NextTokenLoss.LOSS).getDouble(0);
            weight.putScalar(at[0], at[1], original);
            double expected = (up - down) / (2 * h);
            double actual = gradient.getDouble(at[0], at[1]);
            assertEquals(expected, actual, 1e-6 * Math.max(1, Math.abs(expected)), "embedding [" + at[0] + "," + at[1] + "]");
        }
        assertTrue(gradient.getRow(7).amaxNumber().doubleValue() > 1e-3, "a used row's gradient is not zero");
    }

    static Stream<Arguments> objectives() {
        EchoConfig echo = EchoConfig.DEFAULTS.withLambda(0.3).withKlBeta(0.05).withClip(0.1, 0.15);
        return Stream.of(
                Arguments.of("sequence_mean, full_observation_tokens, kl", echo),
                Arguments.of("token_mean, selected_tokens", echo.withKlBeta(0).withPolicyReduction(PolicyReduction.TOKEN_MEAN)
                        .withEnvNormalization(EnvNormalization.SELECTED_TOKENS)),
                Arguments.of("seq_mean_token_sum_norm, token_mean", echo.withPolicyReduction(PolicyReduction.SEQ_MEAN_TOKEN_SUM_NORM)
                        .withEnvNormalization(EnvNormalization.TOKEN_MEAN)),
                Arguments.of("GRPO (lambda 0)", echo.withLambda(0)),
                Arguments.of("cross-entropy only", echo.withPolicyCoef(0)),
                Arguments.of("log-probs at temperature 0.8, role weights", echo.withLogprobTemperature(0.8)
                        .withRoleWeights(new RoleWeights(0.7, 1.5, 0.4))),
                Arguments.of("GRPO at temperature 0.6", echo.withLambda(0).withLogprobTemperature(0.6)),
                Arguments.of("selected tokens with weighted warnings", echo.withKlBeta(0).withEnvNormalization(EnvNormalization.SELECTED_TOKENS)
                        .withRoleWeights(new RoleWeights(1.0, 1.0, 0.5))));
    }

    /** The ECHO objective's written-out dL/dlogits through the model's backward pass, against autodiff end to end. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void echoObjectiveThroughTheModelMatchesAutodiff(String label, EchoConfig echo) {
        ModelConfig config = new ModelConfig(23, 16, 24, 2, 4, 2, 4, 1e-6, 10000, true, 64, null);
        Qwen3Model model = model(config);
        EchoObjective objective = EchoObjective.attach(model.sd(), model.logits(), config.vocabSize(), echo);
        Map<String, SDVariable> manual = model.backward(objective.logitsGradient());
        INDArray roles = Nd4j.createFromArray(new int[][] {{0, 1, 1, 2, 3, 0, 0}, {0, 0, 0, 1, 2, 2, 1}});
        // Old log-probs around the current ones so that ratios fall on both sides of both clip bounds.
        INDArray old = Nd4j.createFromArray(new double[][] {{-3.0, -3.3, -2.9, -3.1, -3.0, 0, 0}, {0, 0, -3.2, -2.95, -3.1, -3.05, -3.4}});
        ObjectiveBatch batch = new ObjectiveBatch(targets(config.vocabSize()), roles, Nd4j.createFromArray(0.8, -1.2),
                old, old.add(0.05));
        Map<String, INDArray> in = inputs(config.vocabSize());
        in.putAll(objective.placeholders(batch, new long[] {2, 7, config.vocabSize()}));
        assertGradientsMatch(label, model, manual, in);
    }

    /**
     * The objective on the model's logits made chunk by chunk from the output projection (3 chunks of 8, 8 and 7
     * tokens, tied and untied heads): its scalars and log-probs equal those on the whole logits, and its
     * written-out gradients equal autodiff's through the chunks.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void echoObjectiveOnTheChunkedHeadMatchesTheWholeLogitsAndAutodiff(String label, EchoConfig echo) {
        for (boolean tied : new boolean[] {true, false}) {
            ModelConfig config = new ModelConfig(23, 16, 24, 2, 4, 2, 4, 1e-6, 10000, tied, 64, null);
            Nd4j.getRandom().setSeed(11);
            Qwen3Model whole = model(config);
            Nd4j.getRandom().setSeed(11);
            Qwen3Model chunked = model(config);
            EchoObjective wholeObjective = EchoObjective.attach(whole.sd(), whole.logits(), config.vocabSize(), echo);
            EchoObjective chunkedObjective = EchoObjective.attach(chunked.sd(), chunked.logitChunks(8), echo);
            whole.backward(wholeObjective.logitsGradient());
            Map<String, SDVariable> manual = chunked.backward(chunkedObjective.logitsGradient());
            Map<String, INDArray> in = echoInputs(chunkedObjective, config.vocabSize());
            List<String> names = new ArrayList<>(EchoObjective.METRICS);
            names.addAll(List.of(EchoObjective.ENTROPY, EchoObjective.LOGP, EchoObjective.LOGITS_GRADIENT));
            Map<String, INDArray> expected = whole.sd().output(in, names);
            Map<String, INDArray> actual = chunked.sd().output(in, names);
            for (String name : names) {
                double scale = Math.max(1e-3, expected.get(name).amaxNumber().doubleValue());
                double error = expected.get(name).sub(actual.get(name)).amaxNumber().doubleValue() / scale;
                assertTrue(error < 1e-12, label + (tied ? ", tied: " : ", untied: ") + name + " differs from the whole logits' by " + error);
            }
            assertGradientsMatch(label + (tied ? ", tied" : ", untied"), chunked, manual, in);
        }
    }

    private static Map<String, INDArray> echoInputs(EchoObjective objective, int vocab) {
        INDArray roles = Nd4j.createFromArray(new int[][] {{0, 1, 1, 2, 3, 0, 0}, {0, 0, 0, 1, 2, 2, 1}});
        INDArray old = Nd4j.createFromArray(new double[][] {{-3.0, -3.3, -2.9, -3.1, -3.0, 0, 0}, {0, 0, -3.2, -2.95, -3.1, -3.05, -3.4}});
        ObjectiveBatch batch = new ObjectiveBatch(targets(vocab), roles, Nd4j.createFromArray(0.8, -1.2), old, old.add(0.05));
        Map<String, INDArray> in = inputs(vocab);
        in.putAll(objective.placeholders(batch, new long[] {2, 7, vocab}));
        return in;
    }

    private static Qwen3Model model(ModelConfig config) {
        Qwen3Model model = Qwen3Model.create(config, 3, DataType.DOUBLE);
        model.weights().forEach((name, w) -> {
            if (w.rank() == 2) {
                w.muli(10);
            } else {
                w.addi(Nd4j.randn(DataType.DOUBLE, w.shape()).muli(0.3));
            }
        });
        return model;
    }

    /** One right-padded and one left-padded sequence. */
    private static Map<String, INDArray> inputs(int v) {
        Map<String, INDArray> in = new HashMap<>();
        in.put(Qwen3Model.INPUT_IDS, Nd4j.createFromArray(new int[][] {{1, 5, 9 % v, 17 % v, 3, 0, 0}, {0, 0, 7, 7, 2, 14 % v, 8}}));
        in.put(Qwen3Model.ATTENTION_MASK, Nd4j.createFromArray(new int[][] {{1, 1, 1, 1, 1, 0, 0}, {0, 0, 1, 1, 1, 1, 1}}));
        return in;
    }

    private static INDArray targets(int v) {
        return Nd4j.createFromArray(new int[][] {{5, 9 % v, 17 % v, 3, 11, 0, 0}, {0, 0, 7, 2, 14 % v, 8, 18}});
    }

    private static void assertGradientsMatch(String label, Qwen3Model model, Map<String, SDVariable> manual, Map<String, INDArray> in) {
        List<String> names = new ArrayList<>(model.weights().keySet());
        assertEquals(names.size(), manual.size(), "a gradient for every weight");
        Map<String, INDArray> reference = Dl4jLogging.quietly(() -> model.sd().calculateGradients(in, names));
        List<String> outputs = names.stream().map(n -> manual.get(n).name()).toList();
        Map<String, INDArray> computed = model.sd().output(in, outputs);
        for (String name : names) {
            INDArray expected = reference.get(name);
            INDArray actual = computed.get(manual.get(name).name());
            double scale = expected.amaxNumber().doubleValue();
            assertTrue(scale > 0, "all-zero reference gradient for " + name);
            double error = expected.sub(actual).amaxNumber().doubleValue() / scale;
            assertTrue(error < 1e-9, label + ": " + name + " differs from autodiff by " + error + " (relative to its largest entry)");
        }
    }
}
