package dev.echo4j.train;

import dev.echo4j.model.Qwen3Model;
import dev.echo4j.objective.TargetLogProbs;
import dev.echo4j.samediff.SessionArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A frozen copy of the policy at the start of training, for the KL term ({@code kl_beta > 0}): it gives
 * the reference log-probs of a batch's targets, through the objective's chunked log-prob routine on the model's
 * logits made chunk by chunk (never the [B,T,V] logits).
 */
final class ReferencePolicy {

    private static final String TARGETS = "ref_targets";

    private final Qwen3Model model;
    private final SDVariable logp;

    /** Copies {@code policy}'s current weights; later updates of the policy do not reach the copy. */
    public ReferencePolicy(Qwen3Model policy) {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        policy.weights().forEach((name, w) -> weights.put(name, w.dup()));
        this.model = Qwen3Model.fromWeights(policy.config(), weights, policy.dataType());
        SDVariable targets = model.sd().placeHolder(TARGETS, DataType.INT32, -1, -1);
        this.logp = TargetLogProbs.attach(model.sd(), model.logitChunks(), targets, 1.0).logp();
    }

    /** {@code log p_ref(target)} at every position of the batch, [B,T]. */
    public INDArray logProbs(TrainingBatch batch) {
        INDArray out = model.sd().output(Map.of(Qwen3Model.INPUT_IDS, batch.inputIds(), Qwen3Model.ATTENTION_MASK, batch.attentionMask(),
                TARGETS, batch.objective().targets().castTo(DataType.INT32)), logp.name()).get(logp.name()).castTo(DataType.FLOAT);
        SessionArrays.release(model.sd(), List.of(out));
        return out;
    }
}
