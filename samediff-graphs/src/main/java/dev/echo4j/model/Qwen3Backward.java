package dev.echo4j.model;

import dev.echo4j.objective.LogitChunks;
import dev.echo4j.objective.LogitsGradient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training graph's backward pass written out as SameDiff ops, next to the forward pass it differentiates,
 * from dL/dlogits to every weight's gradient. SameDiff M2.1's autodiff recomputes what the forward pass already
 * has (SiLU's sigmoid), differentiates what needs no gradient (the attention mask, the one-hot token matrix,
 * the rotation constants) and pays a slow broadcast reduction for every norm weight; at the {@code tiny} size
 * that was a sixth of a training step (README, Speed). Checked against autodiff in float64 by
 * {@code Qwen3BackwardTest}.
 */
final class Qwen3Backward {

    /** An RMSNorm as the forward pass computed it: output = input / rms * weight over {@code axis}. */
    record Norm(SDVariable input, int axis, SDVariable rms, SDVariable normed, SDVariable weight, SDVariable output) {
    }

    /** One query block of causal attention ({@link CausalBlocks}) as the forward pass computed it. */
    record Block(SDVariable queries,          // rotated, grouped rows of the block [B,Hkv,rows,Dh]
                 SDVariable keys,             // the keys the block scores [B,Hkv,keys,Dh]
                 SDVariable values,
                 SDVariable probabilities,    // softmax of the scores [B,Hkv,rows,keys]
                 SDVariable output) {         // probabilities x values [B,Hkv,rows,Dh]
    }

    /** One decoder layer's intermediates (filled in by the forward pass as it goes). */
    static final class Layer {
        final String prefix;
        Norm inputNorm;
        Norm queryNorm;              // over [B*S,H,Dh]
        Norm keyNorm;                // over [B*S,Hkv,Dh]
        final List<Block> blocks = new ArrayList<>();
        SDVariable heads;            // attention output [B*S,H*Dh], the o_proj input
        Norm postNorm;
        SDVariable gate;             // [B*S,I]
        SDVariable sigmoid;
        SDVariable silu;
        SDVariable up;
        SDVariable activation;       // silu * up, the down_proj input

        Layer(String prefix) {
            this.prefix = prefix;
        }
    }

    /** What the training graph's forward pass recorded. */
    static final class Tape {
        final List<Layer> layers = new ArrayList<>();
        SDVariable oneHot;           // [B*S,V]; null where the embedding is a gather of the rows
        SDVariable ids;              // [B*S]
        Norm finalNorm;
        SDVariable hidden;           // the head's input: the final norm's output without the leading masked tokens
        Qwen3Model.Rope rope;
        Qwen3Model.Shapes shapes;
        CausalBlocks blocks;
    }

    private final SameDiff sd;
    private final ModelConfig config;
    private final Tape tape;
    private final Map<String, SDVariable> gradients = new LinkedHashMap<>();
    private SDVariable ones;                 // [1,N], N the pass's tokens, for sums over them

    private Qwen3Backward(SameDiff sd, ModelConfig config, Tape tape) {
        this.sd = sd;
        this.config = config;
        this.tape = tape;
    }

    /** Every weight's gradient, by name, given dL/dlogits of the training graph's logits [B,T,V] in vocabulary chunks. */
    static Map<String, SDVariable> gradients(SameDiff sd, ModelConfig config, Tape tape, LogitsGradient logitsGradient) {
        Qwen3Backward b = new Qwen3Backward(sd, config, tape);
        b.run(logitsGradient);
        return b.gradients;
    }

    private void run(LogitsGradient dLogits) {
        ones = sd.onesLike(tape.finalNorm.rms().reshape(1, -1));
        SDVariable dHidden = head(dLogits).reshape(tape.shapes.hidden);                               // [B,T,d]
        int lead = CausalBlocks.lead(tape.blocks.count());
        SDVariable leadRows = sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {lead, 0}, {0, 0}}));
        SDVariable dx = norm(sd.nn.pad(dHidden, leadRows, 0.0).reshape(-1, config.hiddenSize()), tape.finalNorm, Qwen3Model.FINAL_NORM);
        for (int l = tape.layers.size() - 1; l >= 0; l--) {
            Layer layer = tape.layers.get(l);
            dx = dx.add(mlp(dx, layer));
            dx = dx.add(attention(dx, layer));
        }
        accumulate(Qwen3Model.EMBED, tape.oneHot != null ? sd.mmul(tape.oneHot, dx, true, false, false)
                : sd.unsortedSegmentSum(dx, tape.ids, config.vocabSize()));
    }

    /**
     * dL/dhidden [B*T,d] through the output projection, one vocabulary chunk at a time: each chunk's dL/dlogits
     * [B*T,width] gives its rows of the weight's gradient and its share of dL/dhidden, and is then released.
     */
    private SDVariable head(LogitsGradient dLogits) {
        String head = config.tieWordEmbeddings() ? Qwen3Model.EMBED : Qwen3Model.LM_HEAD;
        if (dLogits.count() == 1) {
            return linear(dLogits.chunk(0).reshape(-1, config.vocabSize()), tape.hidden, head);
        }
        SDVariable weight = sd.getVariable(head);
        SDVariable[] rows = new SDVariable[dLogits.count()];
        SDVariable dHidden = null;
        for (int k = 0; k < rows.length; k++) {
            SDVariable dy = dLogits.chunk(k).reshape(-1, dLogits.width(k));                              // [B*T,width]
            rows[k] = sd.mmul(dy, tape.hidden, true, false, false);                                    // [width,d]
            SDVariable w = ProjectedLogits.rows(weight, dLogits.start(k), dLogits.width(k), LogitChunks.after(dy));   // once dy exists
            dHidden = sum(dHidden, sd.mmul(dy, w));
        }
        accumulate(head, sd.concat(0, rows));
        return dHidden;
    }

    /** dL/dx through the MLP (residual not included) for dL/dy [B*S,d] at its output. */
    private SDVariable mlp(SDVariable dy, Layer layer) {
        String p = layer.prefix;
        SDVariable dActivation = linear(dy, layer.activation, p + "mlp.down_proj.weight");
        SDVariable dUp = dActivation.mul(layer.silu);
        SDVariable dSilu = dActivation.mul(layer.up);
        // silu'(g) = s + silu * (1 - s), from the forward's own sigmoid: no second exponential.
        SDVariable dGate = dSilu.mul(layer.sigmoid.add(layer.silu).sub(layer.silu.mul(layer.sigmoid)));
        SDVariable h = layer.postNorm.output();
        SDVariable dh = linear(dGate, h, p + "mlp.gate_proj.weight").add(linear(dUp, h, p + "mlp.up_proj.weight"));
        return norm(dh, layer.postNorm, p + "post_attention_layernorm.weight");
    }

    /** dL/dx through self-attention (residual not included) for dL/dy [B*S,d] at its output. */
    private SDVariable attention(SDVariable dy, Layer layer) {
        String p = layer.prefix;
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int dh = config.headDim();
        Qwen3Model.Shapes shapes = tape.shapes;
        Qwen3Model.Rope rope = tape.rope;
        SDVariable dHeads = linear(dy, layer.heads, p + "self_attn.o_proj.weight");               // [B*S,H*Dh]
        SDVariable dOut = sd.permute(dHeads.reshape(shapes.tokensByGroups), 0, 2, 1, 3, 4).reshape(shapes.grouped);
        SDVariable[] dOuts = tape.blocks.rows(dOut);
        SDVariable[] dQueries = new SDVariable[dOuts.length];
        SDVariable dKeys = null;
        SDVariable dValues = null;
        for (int c = 0; c < dOuts.length; c++) {
            Block block = layer.blocks.get(c);
            SDVariable dProbabilities = sd.mmul(dOuts[c], block.values(), false, true, false);     // [B,Hkv,rows,keys]
            SDVariable dBlockValues = sd.mmul(block.probabilities(), dOuts[c], true, false, false); // [B,Hkv,keys,Dh]
            // softmax backward: dS = P (dP - rowsum(P dP)), and rowsum(P dP) = rowsum(dO O) over Dh instead of keys
            SDVariable dScores = block.probabilities().mul(dProbabilities.sub(sd.sum(dOuts[c].mul(block.output()), true, 3)));
            dQueries[c] = sd.mmul(dScores, block.keys());                                            // [B,Hkv,rows,Dh]
            SDVariable dBlockKeys = sd.mmul(dScores, block.queries(), true, false, false);          // [B,Hkv,keys,Dh]
            dKeys = sum(dKeys, tape.blocks.allKeys(dBlockKeys, c));
            dValues = sum(dValues, tape.blocks.allKeys(dBlockValues, c));
        }
        SDVariable dGrouped = dQueries.length == 1 ? dQueries[0] : sd.concat(2, dQueries);          // [B,Hkv,S*G,Dh]

        SDVariable dq = sd.permute(dGrouped.reshape(shapes.groupsByTokens), 0, 2, 1, 3, 4).reshape(-1, heads, dh);
        SDVariable dk = sd.permute(dKeys, 0, 2, 1, 3).reshape(-1, kvHeads, dh);
        SDVariable dv = sd.permute(dValues, 0, 2, 1, 3).reshape(-1, (long) kvHeads * dh);
        dq = norm(unrotate(dq, heads, rope.queryCos(), rope.querySin(), rope.rotate()), layer.queryNorm, p + "self_attn.q_norm.weight", heads);
        dk = norm(unrotate(dk, kvHeads, rope.keyCos(), rope.keySin(), rope.rotate()), layer.keyNorm, p + "self_attn.k_norm.weight", kvHeads);

        SDVariable h = layer.inputNorm.output();
        SDVariable dh0 = linear(dq.reshape(-1, (long) heads * dh), h, p + "self_attn.q_proj.weight")
                .add(linear(dk.reshape(-1, (long) kvHeads * dh), h, p + "self_attn.k_proj.weight"))
                .add(linear(dv, h, p + "self_attn.v_proj.weight"));
        return norm(dh0, layer.inputNorm, p + "input_layernorm.weight");
    }

    /** The transpose of the rotation y = x cos + (x R) sin: dx = dy cos + (dy sin) R^T. */
    private SDVariable unrotate(SDVariable dy, int n, SDVariable cos, SDVariable sin, SDVariable rotate) {
        SDVariable turned = sd.mmul(dy.mul(sin).reshape(-1, config.headDim()), rotate, false, true, false);
        return dy.mul(cos).add(turned.reshape(-1, n, config.headDim()));
    }

    /**
     * dL/dx of y = x / rms(x) * w for dL/dy, and dL/dw into {@code weightName}:
     * dx = (dy w - x̂ mean(dy w x̂)) / rms, dw = the sum of dy x̂ over every axis but the last.
     */
    private SDVariable norm(SDVariable dy, Norm norm, String weightName) {
        return norm(dy, norm, weightName, 1);
    }

    /**
     * {@link #norm} over [N,heads,Dh]. The weight's gradient sums over the N tokens as the product of a ones row
     * and the [N,heads*Dh] products: 0.23 ms where M2.1's reduction over the leading axis takes 1.1 ms.
     */
    private SDVariable norm(SDVariable dy, Norm norm, String weightName, int heads) {
        SDVariable normed = norm.normed();
        long width = norm.axis() == 2 ? config.headDim() : config.hiddenSize();
        SDVariable sums = sd.mmul(ones, dy.mul(normed).reshape(-1, heads * width));                  // [1,heads*width]
        accumulate(weightName, heads == 1 ? sums.reshape(width) : sd.sum(sums.reshape(heads, width), 0));
        SDVariable dNormed = dy.mul(norm.weight());
        return dNormed.sub(normed.mul(sd.mean(dNormed.mul(normed), true, norm.axis()))).div(norm.rms());
    }

    /** dL/dx of y = x W^T for dL/dy, and dL/dW = dy^T x into {@code weightName}. */
    private SDVariable linear(SDVariable dy, SDVariable x, String weightName) {
        accumulate(weightName, sd.mmul(dy, x, true, false, false));
        return sd.mmul(dy, sd.getVariable(weightName));
    }

    private static SDVariable sum(SDVariable total, SDVariable term) {
        return total == null ? term : total.add(term);
    }

    private void accumulate(String weightName, SDVariable gradient) {
        gradients.merge(weightName, gradient, SDVariable::add);
    }
}
