package dev.echo4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.samediff.Dl4jLogging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
        Qwen3Model model = Qwen3Model.create(config, 3, DataType.DOUBLE);
        model.weights().forEach((name, w) -> {
            if (w.rank() == 2) {
                w.muli(10);
            } else {
                w.addi(Nd4j.randn(DataType.DOUBLE, w.shape()).muli(0.3));
            }
        });
        NextTokenLoss.attach(model);
        Map<String, SDVariable> manual = model.backward(NextTokenLoss.logitsGradient(model));
        int v = config.vocabSize();
        Map<String, INDArray> in = new HashMap<>();
        in.put(Qwen3Model.INPUT_IDS, Nd4j.createFromArray(new int[][] {{1, 5, 9 % v, 17 % v, 3, 0, 0}, {0, 0, 7, 7, 2, 14 % v, 8}}));
        in.put(Qwen3Model.ATTENTION_MASK, Nd4j.createFromArray(new int[][] {{1, 1, 1, 1, 1, 0, 0}, {0, 0, 1, 1, 1, 1, 1}}));
        in.put(NextTokenLoss.TARGETS, Nd4j.createFromArray(new int[][] {{5, 9 % v, 17 % v, 3, 11, 0, 0}, {0, 0, 7, 2, 14 % v, 8, 18}}));

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
