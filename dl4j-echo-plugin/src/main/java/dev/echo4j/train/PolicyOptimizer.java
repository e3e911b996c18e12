package dev.echo4j.train;

import dev.echo4j.model.Qwen3Model;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.objective.EchoObjective;
import dev.echo4j.samediff.SessionArrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ECHO objective attached to the policy's logits (made one vocabulary chunk at a time,
 * {@link Qwen3Model#logitChunks}), and AdamW on its weights: one forward pass and one backward pass give both the
 * policy and the environment losses' gradients. The backward pass is the model's
 * hand-derived one ({@link Qwen3Model#backward}, from the objective's written-out dL/dlogits), which is faster
 * than SameDiff's autodiff and equal to it. What an update allocates is closed when it ends ({@link SessionArrays}),
 * so that updates do not pile up off-heap memory until the garbage collector runs.
 */
public final class PolicyOptimizer {

    /** Scalars reported for every update. */
    public static final List<String> OUTPUTS = List.of(EchoObjective.LOSS, EchoObjective.POLICY_LOSS, EchoObjective.ENV_LOSS,
            EchoObjective.KL, EchoObjective.CLIP_FRAC, EchoObjective.ENV_CE, EchoObjective.ENTROPY);

    private final Qwen3Model model;
    private final EchoObjective objective;
    private final AdamW adamW;
    private final Map<String, INDArray> weights;
    /** Each weight's gradient variable in the hand-derived backward pass. */
    private final Map<String, SDVariable> gradients;
    private final List<String> requested = new ArrayList<>(OUTPUTS);

    public PolicyOptimizer(Qwen3Model model, EchoConfig objectiveConfig, OptimizerConfig optimizerConfig) {
        this.model = model;
        this.objective = EchoObjective.attach(model.sd(), model.logitChunks(), objectiveConfig);
        this.adamW = new AdamW(optimizerConfig);
        this.weights = model.weights();
        this.gradients = model.backward(objective.logitsGradient());
        gradients.values().forEach(g -> requested.add(g.name()));
        SessionArrays.release(model.sd(), List.of());   // nothing to free yet: a bounded array cache from the first update on
    }

    /** One optimizer update on one batch; returns the objective's scalars plus {@code grad_norm} and {@code lr}. */
    public Map<String, Double> update(TrainingBatch batch) {
        return update(List.of(batch));
    }

    /**
     * One optimizer update from micro-batches whose gradients and scalars are averaged, each weighted by its
     * number of rollouts: exact for the per-rollout means (sequence_mean, the per-rollout env normalisations),
     * a per-micro-batch approximation for the token means.
     */
    public Map<String, Double> update(List<TrainingBatch> microBatches) {
        long total = microBatches.stream().mapToLong(b -> b.inputIds().size(0)).sum();
        Map<String, INDArray> grads = new HashMap<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (TrainingBatch micro : microBatches) {
            double weight = micro.inputIds().size(0) / (double) total;
            Pass pass = forwardBackward(micro);
            pass.gradients().forEach((name, g) -> grads.merge(name, microBatches.size() == 1 ? g : g.mul(weight), INDArray::addi));
            scalars(pass.outputs()).forEach((k, v) -> metrics.merge(k, v * weight, Double::sum));
            if (microBatches.size() > 1) {
                SessionArrays.release(model.sd(), grads.values());
            }
        }
        double lr = adamW.config().learningRateAt(adamW.step());
        metrics.put("grad_norm", adamW.update(weights, grads));
        metrics.put("lr", lr);
        SessionArrays.release(model.sd(), List.of());
        if (microBatches.size() > 1) {
            grads.values().forEach(INDArray::close);
        }
        return metrics;
    }

    /** The objective's outputs and every weight's gradient on one micro-batch. */
    private Pass forwardBackward(TrainingBatch micro) {
        Map<String, INDArray> values = model.sd().output(feeds(micro), requested);
        Map<String, INDArray> byWeight = new HashMap<>();
        gradients.forEach((name, g) -> byWeight.put(name, values.get(g.name())));
        return new Pass(values, byWeight);
    }

    private record Pass(Map<String, INDArray> outputs, Map<String, INDArray> gradients) {
    }

    /** The objective's scalars on a batch without updating (held-out world-model evaluation). */
    public Map<String, Double> evaluate(TrainingBatch batch) {
        Map<String, Double> scalars = scalars(model.sd().output(feeds(batch), OUTPUTS));
        SessionArrays.release(model.sd(), List.of());
        return scalars;
    }

    /** The policy's log-prob of every target of the batch, [B,T]. */
    public INDArray logProbs(TrainingBatch batch) {
        INDArray logp = model.sd().output(feeds(batch), EchoObjective.LOGP).get(EchoObjective.LOGP);
        SessionArrays.release(model.sd(), List.of(logp));
        return logp;
    }

    private Map<String, INDArray> feeds(TrainingBatch batch) {
        Map<String, INDArray> feeds = new HashMap<>(objective.placeholders(batch.objective(), batch.logitsShape(model.config().vocabSize())));
        feeds.put(Qwen3Model.INPUT_IDS, batch.inputIds());
        feeds.put(Qwen3Model.ATTENTION_MASK, batch.attentionMask());
        return feeds;
    }

    private static Map<String, Double> scalars(Map<String, INDArray> outputs) {
        Map<String, Double> out = new LinkedHashMap<>();
        OUTPUTS.forEach(name -> out.put(name, outputs.get(name).getDouble(0)));
        return out;
    }

    AdamW adamW() {
        return adamW;
    }

    public EchoObjective objective() {
        return objective;
    }

    public Qwen3Model model() {
        return model;
    }
}
