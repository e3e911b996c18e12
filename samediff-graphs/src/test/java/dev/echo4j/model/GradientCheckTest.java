package dev.echo4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.samediff.Dl4jLogging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite differences against SameDiff's gradients on a tiny float64 model, for sampled entries of
 * every parameter (embedding, norms, q/k norms, attention, MLP, final norm, untied head). It would catch
 * SameDiff's zero-gradient bug with reused intermediates (deeplearning4j#9655): every residual stream value
 * feeds both a norm and the next residual add.
 */
class GradientCheckTest {

    @Test
    void finiteDifferencesAgreeWithSameDiffGradients() {
        ModelConfig config = new ModelConfig(23, 16, 24, 2, 4, 2, 4, 1e-6, 10000, false, 64, null);
        Qwen3Model model = Qwen3Model.create(config, 3, DataType.DOUBLE);
        model.weights().forEach((name, w) -> {
            if (w.rank() == 2) {
                w.muli(10);   // 0.2 std: gradients well above finite-difference noise
            } else {
                w.addi(Nd4j.randn(DataType.DOUBLE, w.shape()).muli(0.3));
            }
        });
        NextTokenLoss.attach(model);
        // One right-padded and one left-padded sequence: the mask takes part in the check.
        Map<String, INDArray> in = new HashMap<>();
        in.put(Qwen3Model.INPUT_IDS, Nd4j.createFromArray(new int[][] {{1, 5, 9, 22, 3, 0, 0}, {0, 0, 7, 7, 2, 14, 8}}));
        in.put(Qwen3Model.ATTENTION_MASK, Nd4j.createFromArray(new int[][] {{1, 1, 1, 1, 1, 0, 0}, {0, 0, 1, 1, 1, 1, 1}}));
        in.put(NextTokenLoss.TARGETS, Nd4j.createFromArray(new int[][] {{5, 9, 22, 3, 11, 0, 0}, {0, 0, 7, 2, 14, 8, 20}}));

        List<String> names = new ArrayList<>(model.weights().keySet());
        Map<String, INDArray> gradients = Dl4jLogging.quietly(() -> model.sd().calculateGradients(in, names));
        Random random = new Random(5);
        double worst = 0;
        String worstAt = "";
        int checked = 0;
        for (String name : names) {
            INDArray w = model.sd().getArrForVarName(name);
            INDArray g = gradients.get(name);
            assertTrue(g != null && g.amaxNumber().doubleValue() > 0, "no or all-zero gradient for " + name);
            for (int sample = 0; sample < 3; sample++) {
                long i = random.nextInt((int) w.length());
                double original = w.getDouble(i);
                double eps = 1e-6;
                w.putScalar(i, original + eps);
                double plus = loss(model, in);
                w.putScalar(i, original - eps);
                double minus = loss(model, in);
                w.putScalar(i, original);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = g.getDouble(i);
                double scale = Math.max(Math.abs(numeric), Math.abs(analytic));
                double error = scale < 1e-9 ? 0 : Math.abs(numeric - analytic) / scale;
                if (error > worst) {
                    worst = error;
                    worstAt = name + "[" + i + "] numeric " + numeric + " analytic " + analytic;
                }
                checked++;
            }
        }
        assertTrue(checked >= 3 * 24, "checked " + checked);
        assertTrue(worst < 1e-3, "worst relative error " + worst + " at " + worstAt);
    }

    private static double loss(Qwen3Model model, Map<String, INDArray> in) {
        return model.sd().output(in, NextTokenLoss.LOSS).get(NextTokenLoss.LOSS).getDouble(0);
    }
}
