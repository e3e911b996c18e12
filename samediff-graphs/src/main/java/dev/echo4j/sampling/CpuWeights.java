package dev.echo4j.sampling;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A copy of a float32 {@link Qwen3Model}'s weights in the layout {@link CpuDecodingStep} reads: norms as
 * vectors, projections transposed to {@code [in][out]} rows (q/k/v side by side, gate/up side by side). A copy
 * because ND4J's off-heap arrays are not plain Java arrays; it is taken per sampling session (a model being
 * trained changes between sessions) or once for a model whose weights do not change (serving).
 */
record CpuWeights(ModelConfig config, float[] embed, Layer[] layers, float[] finalNorm, float[][] head) {

    /** One decoder layer. */
    record Layer(float[] attentionNorm, float[][] qkv, float[] queryNorm, float[] keyNorm, float[][] output,
                 float[] mlpNorm, float[][] gateUp, float[][] down) {
    }

    /** The bytes of the copy of a model of this shape: every weight once, and the embedding a second time as a tied head. */
    static long bytes(ModelConfig c) {
        return Float.BYTES * (c.parameterCount() + (c.tieWordEmbeddings() ? (long) c.vocabSize() * c.hiddenSize() : 0));
    }

    static CpuWeights of(Qwen3Model model) {
        if (model.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("the Java decoding step runs float32 models; this one is " + model.dataType());
        }
        ModelConfig c = model.config();
        Map<String, INDArray> w = model.weights();
        Layer[] layers = new Layer[c.numHiddenLayers()];
        Arrays.setAll(layers, l -> layer(w, "model.layers." + l + "."));
        return new CpuWeights(c, floats(w.get("model.embed_tokens.weight")), layers, floats(w.get("model.norm.weight")),
                transposed(model.headWeight()));
    }

    /** The weights of the layer whose Hugging Face names start with {@code p}. */
    private static Layer layer(Map<String, INDArray> w, String p) {
        return new Layer(floats(w.get(p + "input_layernorm.weight")),
                transposed(w.get(p + "self_attn.q_proj.weight"), w.get(p + "self_attn.k_proj.weight"), w.get(p + "self_attn.v_proj.weight")),
                floats(w.get(p + "self_attn.q_norm.weight")), floats(w.get(p + "self_attn.k_norm.weight")),
                transposed(w.get(p + "self_attn.o_proj.weight")),
                floats(w.get(p + "post_attention_layernorm.weight")),
                transposed(w.get(p + "mlp.gate_proj.weight"), w.get(p + "mlp.up_proj.weight")),
                transposed(w.get(p + "mlp.down_proj.weight")));
    }

    /** All elements of a float32 array, in C order. */
    static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /** The Hugging Face [out,in] matrices side by side and transposed: [in][sum of outs]. */
    private static float[][] transposed(INDArray... matrices) {
        int in = Math.toIntExact(matrices[0].size(1));
        int total = Arrays.stream(matrices).mapToInt(m -> Math.toIntExact(m.size(0))).sum();
        float[][] t = new float[in][total];
        int column = 0;
        for (INDArray m : matrices) {
            int out = Math.toIntExact(m.size(0));
            float[] data = floats(m);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    t[i][column + o] = data[o * in + i];
                }
            }
            column += out;
        }
        return t;
    }
}
