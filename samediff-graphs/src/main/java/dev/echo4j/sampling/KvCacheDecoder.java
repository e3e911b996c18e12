package dev.echo4j.sampling;

import dev.echo4j.model.Qwen3Model;
import dev.echo4j.samediff.SessionArrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Batched sampling with a KV cache: one training-graph pass over the left-padded prompts fills the cache,
 * then each new token costs one decoding step, run by the {@link Engine} chosen at construction.
 */
public final class KvCacheDecoder implements Sampler {

    /** What runs the decoding steps (the prompt pass is always the model's SameDiff training graph). */
    public enum Engine {
        /** The model's SameDiff decoding step: any backend, any data type. */
        GRAPH,
        /**
         * {@link CpuDecodingStep}, plain Java on a copy of the weights: float32 only, and several times faster
         * than the graph on the CPU backend, where each of a step's few hundred tiny ops costs far more than its
         * arithmetic.
         */
        JAVA;

        /**
         * JAVA for a float32 model on ND4J's CPU backend whose copy of the weights takes at most half the JVM's maximum
         * heap; GRAPH otherwise (a GPU keeps the SameDiff step). The Java step was the faster one at every size measured
         * ({@code bench decode}: 10-14x at tiny and small, 2.5x at Qwen3-0.6B's shape), so the switch is where its copy
         * stops fitting: Qwen3-0.6B's copy (2.9 GB) fits the launcher's 6 GB heap, Qwen3-1.7B's (8 GB) does not and
         * decodes with the SameDiff step rather than run out of memory.
         */
        public static Engine defaultFor(Qwen3Model model) {
            return model.dataType() == DataType.FLOAT && Nd4j.getEnvironment().isCPU()
                    && CpuWeights.bytes(model.config()) <= Runtime.getRuntime().maxMemory() / 2 ? JAVA : GRAPH;
        }
    }

    private final Qwen3Model model;
    private final Engine engine;
    private final Supplier<CpuWeights> cpuWeights;

    /** Decodes with {@link Engine#defaultFor the model's default engine}. */
    public KvCacheDecoder(Qwen3Model model) {
        this(model, Engine.defaultFor(model));
    }

    /** Decodes with {@code engine}; the JAVA engine copies the weights at every session (once for many: {@link #pinned}), so training may change them. */
    public KvCacheDecoder(Qwen3Model model, Engine engine) {
        this(model, engine, false);
    }

    private KvCacheDecoder(Qwen3Model model, Engine engine, boolean frozen) {
        if (engine == Engine.JAVA && model.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("the JAVA decoding engine runs float32 models; this one is " + model.dataType()
                    + " (use Engine.GRAPH)");
        }
        this.model = model;
        this.engine = engine;
        CpuWeights once = frozen && engine == Engine.JAVA ? CpuWeights.of(model) : null;
        this.cpuWeights = once != null ? () -> once : () -> CpuWeights.of(model);
    }

    /**
     * A decoder (default engine) for a model whose weights do not change while it is used, as in serving: the
     * JAVA engine copies them once here instead of at every session (30 ms for tiny, 100 ms for small).
     */
    public static KvCacheDecoder forFrozenWeights(Qwen3Model model) {
        return new KvCacheDecoder(model, Engine.defaultFor(model), true);
    }

    /** For the JAVA engine, a decoder over one copy of the weights as they are now; the GRAPH engine reads them live. */
    @Override
    public Sampler pinned() {
        return engine == Engine.JAVA ? new KvCacheDecoder(model, engine, true) : this;
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public SamplingResult generate(int[][] prompts, SamplingConfig config) {
        return Generation.run(session(), prompts, config);
    }

    @Override
    public SamplingResult generate(int[][] prompts, List<SamplingConfig> configs) {
        return Generation.run(session(), prompts, configs, TokenListener.NONE);
    }

    /**
     * Continues each prompt with its own sampling setting (temperature, seed, length, stop tokens), telling
     * {@code listener} each token as it is picked: the batched path of a server whose requests differ.
     */
    public SamplingResult generate(int[][] prompts, List<SamplingConfig> configs, TokenListener listener) {
        return Generation.run(session(), prompts, configs, listener);
    }

    /** A fresh incremental decoding session over this model. */
    DecodingSession session() {
        return engine == Engine.JAVA ? new JavaSession() : new GraphSession();
    }

    /**
     * The training graph's pass over the left-padded prompts: each layer's keys and values [B,Hkv,T,Dh], and the
     * logits of the last position only (the head is applied to its hidden states, not to every position's).
     */
    private record Prefill(LeftPaddedBatch batch, INDArray[] keys, INDArray[] values, float[][] logits) {
    }

    private Prefill prefill(int[][] prompts) {
        LeftPaddedBatch batch = LeftPaddedBatch.of(prompts);
        int layers = model.config().numHiddenLayers();
        List<String> outputs = new ArrayList<>(List.of(Qwen3Model.HIDDEN));
        for (int l = 0; l < layers; l++) {
            outputs.add(Qwen3Model.cacheKey(l));
            outputs.add(Qwen3Model.cacheValue(l));
        }
        Map<String, INDArray> out = model.sd().output(Map.of(
                Qwen3Model.INPUT_IDS, Nd4j.createFromArray(batch.ids()),
                Qwen3Model.ATTENTION_MASK, Nd4j.createFromArray(batch.mask())), outputs);
        INDArray[] keys = new INDArray[layers];
        INDArray[] values = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = out.get(Qwen3Model.cacheKey(l));
            values[l] = out.get(Qwen3Model.cacheValue(l));
        }
        INDArray hidden = out.get(Qwen3Model.HIDDEN).reshape(prompts.length, batch.width(), -1);
        INDArray last = hidden.get(NDArrayIndex.all(), NDArrayIndex.point(batch.width() - 1), NDArrayIndex.all());
        return new Prefill(batch, keys, values, rows(last.mmul(model.headWeight().transpose())));
    }

    private final class JavaSession implements DecodingSession {

        private CpuDecodingStep decoder;

        @Override
        public float[][] prefill(int[][] prompts) {
            Prefill prefill = KvCacheDecoder.this.prefill(prompts);
            decoder = new CpuDecodingStep(cpuWeights.get(), prefill.batch().lengths(), prefill.keys(), prefill.values());
            SessionArrays.release(model.sd(), List.of());   // the prompt pass's arrays, its cache copied into the step
            return prefill.logits();
        }

        @Override
        public float[][] step(int[] tokens) {
            return decoder.step(tokens);
        }
    }

    private final class GraphSession implements DecodingSession {

        private final int layers = model.config().numHiddenLayers();
        private INDArray[] keys;
        private INDArray[] values;
        private LeftPaddedBatch batch;

        @Override
        public float[][] prefill(int[][] prompts) {
            Prefill prefill = KvCacheDecoder.this.prefill(prompts);
            batch = prefill.batch();
            keys = prefill.keys();
            values = prefill.values();
            return prefill.logits();
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
        return logits.castTo(DataType.FLOAT).toFloatMatrix();
    }
}
