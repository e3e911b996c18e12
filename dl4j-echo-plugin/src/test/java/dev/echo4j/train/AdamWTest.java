package dev.echo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamWTest {

    private static final OptimizerConfig CONFIG = new OptimizerConfig(0.1, 0.9, 0.999, 1e-8, 0.0, 0, 1.0, 4);

    @Test
    void firstStepMovesEachWeightByTheLearningRateAgainstItsGradientSign() {
        INDArray w = Nd4j.createFromArray(1.0, -2.0, 3.0);
        double norm = new AdamW(CONFIG).update(Map.of("w", w), Map.of("w", Nd4j.createFromArray(0.3, -0.4, 0.0)));
        assertEquals(0.5, norm, 1e-12);
        assertEquals(0.9, w.getDouble(0), 1e-6);
        assertEquals(-1.9, w.getDouble(1), 1e-6);
        assertEquals(3.0, w.getDouble(2), 1e-6);
    }

    @Test
    void clippingScalesTheGradientBeforeTheMomentsSeeIt() {
        AdamW adam = new AdamW(CONFIG);
        INDArray w = Nd4j.zeros(DataType.DOUBLE, 2);
        adam.update(Map.of("w", w), Map.of("w", Nd4j.createFromArray(30.0, 40.0)));
        INDArray m = adam.state().get("m/w");
        assertEquals(0.1 * 0.6, m.getDouble(0), 1e-6, "first moment holds (1 - beta1) x the clipped gradient (norm 50 -> 1)");
    }

    @Test
    void stateRoundTripsAndWarmupRamps() {
        OptimizerConfig warm = new OptimizerConfig(1.0, 0.9, 0.999, 1e-8, 0.0, 4, 0.0, 4);
        assertEquals(0.25, warm.learningRateAt(0), 1e-12);
        assertEquals(1.0, warm.learningRateAt(10), 1e-12);
        AdamW a = new AdamW(CONFIG);
        a.update(Map.of("w", Nd4j.ones(3)), Map.of("w", Nd4j.ones(3)));
        AdamW b = new AdamW(CONFIG);
        b.load(a.state());
        assertEquals(a.step(), b.step());
        assertEquals(a.state().get("v/w"), b.state().get("v/w"));
    }

    @Test
    void nonFiniteGradientsStopTraining() {
        assertThrows(IllegalStateException.class, () -> new AdamW(CONFIG).update(Map.of("w", Nd4j.ones(1)),
                Map.of("w", Nd4j.createFromArray(Double.NaN))));
    }
}
