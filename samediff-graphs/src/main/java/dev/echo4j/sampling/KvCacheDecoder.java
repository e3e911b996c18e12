package dev.echo4j.sampling;

import dev.echo4j.model.Qwen3Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Batched sampling with a KV cache: one training-graph pass over the left-padded prompts fills the cache,
 * then each new token costs one pass of the model's decoding step (same weights, same SameDiff instance).
 */
public final class KvCacheDecoder implements Sampler {

    private final Qwen3Model model;

    public KvCacheDecoder(Qwen3Model model) {
        this.model = model;
    }

    @Override
    public SamplingResult generate(int[][] prompts, SamplingConfig config) {
        return Generation.run(session(), prompts, config);
    }

    /**
     * Continues each prompt with its own sampling setting (temperature, seed, length, stop tokens), telling
     * {@code listener} each token as it is picked: the batched path of a server whose requests differ.
     */
    public SamplingResult generate(int[][] prompts, List<SamplingConfig> configs, TokenListener listener) {
        return Generation.run(session(), prompts, configs, listener);
    }

    /** A fresh incremental decoding session over this model. */
    public DecodingSession session() {
        return new Session();
    }

    private final class Session implements DecodingSession {

        private final int layers = model.config().numHiddenLayers();
        private final INDArray[] keys = new INDArray[layers];
        private final INDArray[] values = new INDArray[layers];
        private LeftPaddedBatch batch;

        @Override
        public float[][] prefill(int[][] prompts) {
            batch = LeftPaddedBatch.of(prompts);
            List<String> outputs = new ArrayList<>(List.of(Qwen3Model.LOGITS));
            for (int l = 0; l < layers; l++) {
                outputs.add(Qwen3Model.cacheKey(l));
                outputs.add(Qwen3Model.cacheValue(l));
            }
            Map<String, INDArray> out = model.sd().output(Map.of(
                    Qwen3Model.INPUT_IDS, Nd4j.createFromArray(batch.ids()),
                    Qwen3Model.ATTENTION_MASK, Nd4j.createFromArray(batch.mask())), outputs);
            for (int l = 0; l < layers; l++) {
                keys[l] = out.get(Qwen3Model.cacheKey(l));
                values[l] = out.get(Qwen3Model.cacheValue(l));
            }
            INDArray logits = out.get(Qwen3Model.LOGITS);
            return rows(logits.get(NDArrayIndex.all(), NDArrayIndex.point(batch.width() - 1), NDArrayIndex.all()));
        }

        @Override
        public float[][] step(int[] tokens) {
            int[][] ids = new int[tokens.length][1];
            int[][] positions = new int[tokens.length][1];
            for (int b = 0; b < tokens.length; b++) {
                ids[b][0] = tokens[b];
                positions[b][0] = batch.lengths()[b];
            }
            batch = batch.append(tokens);
            Map<String, INDArray> in = new HashMap<>();
            in.put(Qwen3Model.STEP_IDS, Nd4j.createFromArray(ids));
            in.put(Qwen3Model.STEP_POSITIONS, Nd4j.createFromArray(positions));
            in.put(Qwen3Model.STEP_MASK, Nd4j.createFromArray(batch.mask()));
            List<String> outputs = new ArrayList<>(List.of(Qwen3Model.STEP_LOGITS));
            for (int l = 0; l < layers; l++) {
                in.put(Qwen3Model.pastKey(l), keys[l]);
                in.put(Qwen3Model.pastValue(l), values[l]);
                outputs.add(Qwen3Model.stepKey(l));
                outputs.add(Qwen3Model.stepValue(l));
            }
            Map<String, INDArray> out = model.sd().output(in, outputs);
            for (int l = 0; l < layers; l++) {
                keys[l] = out.get(Qwen3Model.stepKey(l));
                values[l] = out.get(Qwen3Model.stepValue(l));
            }
            return rows(out.get(Qwen3Model.STEP_LOGITS));
        }
    }

    /** A [B,V] array as float rows. */
    static float[][] rows(INDArray logits) {
        return logits.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatMatrix();
    }
}
