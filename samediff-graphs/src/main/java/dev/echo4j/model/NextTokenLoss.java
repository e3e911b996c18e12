package dev.echo4j.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Plain language-model training: mean next-token cross-entropy over the positions the attention mask marks
 * real. Used for pretraining from scratch, benchmarks and tests; RL training uses the ECHO objective instead.
 */
public final class NextTokenLoss {

    public static final String TARGETS = "targets";
    public static final String LOSS = "lm_loss";

    private NextTokenLoss() {
    }

    /** Adds placeholder {@value #TARGETS} INT [B,T] and the scalar {@value #LOSS}, set as the loss. */
    public static SDVariable attach(Qwen3Model model) {
        SameDiff sd = model.sd();
        SDVariable logits = model.logits();
        int vocab = model.config().vocabSize();
        SDVariable targets = sd.placeHolder(TARGETS, DataType.INT, -1, -1);
        SDVariable mask = sd.castTo(sd.getVariable(Qwen3Model.ATTENTION_MASK), logits.dataType());
        // logSoftmax without a dimension argument: the explicit-dimension form breaks gradients in M2.1.
        SDVariable logp = sd.sum(sd.nn.logSoftmax(logits).mul(sd.oneHot(targets, vocab, -1, 1.0, 0.0, logits.dataType())), 2);
        SDVariable loss = sd.sum(logp.mul(mask)).div(sd.sum(mask)).neg().rename(LOSS);
        sd.setLossVariables(loss);
        return loss;
    }
}
