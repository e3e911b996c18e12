package dev.echo4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AdamW over named parameters, with clipping by global norm. Ours (rather than SameDiff's {@code fit}) because
 * fit has no gradient clipping and its updater state is not ours to checkpoint. Each weight's step is ND4J's
 * fused {@code adam_updater} kernel (bias-corrected, epsilon added to sqrt(v) before the correction, as in
 * ND4J's and Keras's Adam), then decoupled weight decay.
 */
public final class AdamW {

    private final OptimizerConfig config;
    private final Map<String, INDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, INDArray> secondMoment = new LinkedHashMap<>();
    private long step;

    public AdamW(OptimizerConfig config) {
        this.config = config;
    }

    /**
     * Applies one update in place and returns the global gradient norm before clipping.
     * {@code params} and {@code grads} are keyed by variable name.
     */
    public double update(Map<String, INDArray> params, Map<String, INDArray> grads) {
        double norm = globalNorm(grads);
        if (!Double.isFinite(norm)) {
            throw new IllegalStateException("gradient norm is " + norm + " at update " + step + ": the loss diverged");
        }
        double clip = config.maxGradNorm() > 0 && norm > config.maxGradNorm() ? config.maxGradNorm() / (norm + 1e-6) : 1.0;
        double lr = config.learningRateAt(step);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray g = grads.get(e.getKey());
            if (g == null) {
                throw new IllegalStateException("no gradient for parameter '" + e.getKey() + "'");
            }
            INDArray p = e.getValue();
            INDArray update = g.mul(clip);
            INDArray m = firstMoment.computeIfAbsent(e.getKey(), k -> Nd4j.zerosLike(p));
            INDArray v = secondMoment.computeIfAbsent(e.getKey(), k -> Nd4j.zerosLike(p));
            // One fused native op per weight (moments in place, the clipped gradient turned into the step).
            Nd4j.exec(new AdamUpdater(update, v, m, lr, config.beta1(), config.beta2(), config.epsilon(), Math.toIntExact(step)));
            if (config.weightDecay() > 0) {
                p.muli(1 - lr * config.weightDecay());
            }
            p.subi(update);
            update.close();
        }
        step++;
        return norm;
    }

    static double globalNorm(Map<String, INDArray> grads) {
        double sumSquares = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sumSquares += n * n;
        }
        return Math.sqrt(sumSquares);
    }

    public OptimizerConfig config() {
        return config;
    }

    public long step() {
        return step;
    }

    /** Moments and step as named arrays, for checkpoints ({@code m/NAME}, {@code v/NAME}, {@code step}). */
    Map<String, INDArray> state() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        firstMoment.forEach((k, a) -> state.put("m/" + k, a));
        secondMoment.forEach((k, a) -> state.put("v/" + k, a));
        state.put("step", Nd4j.scalar(step));
        return state;
    }

    /** Restores what {@link #state()} returned. */
    public void load(Map<String, INDArray> state) {
        firstMoment.clear();
        secondMoment.clear();
        state.forEach((k, a) -> {
            if (k.startsWith("m/")) {
                firstMoment.put(k.substring(2), a.dup());
            } else if (k.startsWith("v/")) {
                secondMoment.put(k.substring(2), a.dup());
            } else if (k.equals("step")) {
                step = a.getLong(0);
            } else {
                throw new IllegalArgumentException("optimizer state: unknown entry '" + k + "'");
            }
        });
    }
}
