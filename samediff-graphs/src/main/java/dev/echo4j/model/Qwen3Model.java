package dev.echo4j.model;

import dev.echo4j.objective.LogitChunks;
import dev.echo4j.objective.LogitsGradient;
import dev.echo4j.objective.TargetLogProbs;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Qwen3-architecture causal language model as one SameDiff graph, with two subgraphs sharing the weights:
 *
 * <ul>
 *   <li>the <b>training graph</b>: placeholders {@value #INPUT_IDS} INT [B,T] and {@value #ATTENTION_MASK}
 *       INT [B,T] (1 = real token, 0 = padding), output {@value #LOGITS} [B,T,V]. It also exposes the final
 *       hidden states {@value #HIDDEN} [B*T,d] and each layer's rotated keys and values ({@link #cacheKey},
 *       {@link #cacheValue}) so that one call fills a KV cache (prefill);</li>
 *   <li>the <b>decoding step</b>: one new token per sequence ({@value #STEP_IDS} [B,1], its position
 *       {@value #STEP_POSITIONS} [B,1], the key mask {@value #STEP_MASK} [B,P+1]) on top of the cached keys
 *       and values {@link #pastKey}/{@link #pastValue} [B,Hkv,P,Dh]; outputs {@value #STEP_LOGITS} [B,V] and
 *       the grown cache {@link #stepKey}/{@link #stepValue}. Training never needs its placeholders.</li>
 * </ul>
 *
 * <p><b>Padding.</b> Either side works: positions are counted over real tokens only (the cumulative sum of
 * the mask minus one), and padded keys are masked out, so a sequence gets the same logits whether it is
 * padded on the left (what the sampler does with prompts of different lengths) or on the right (what a
 * trainer does with transcripts). Logits at padded positions are meaningless; give them role 0. The training
 * graph relies on this itself: it puts {@code ATTENTION_BLOCKS - 1} masked tokens in front of every sequence
 * for its blocked causal attention ({@link CausalBlocks}) and strips them from every output.
 *
 * <p>Weights carry the Hugging Face names and layouts ({@code model.layers.0.self_attn.q_proj.weight}
 * [out,in]), so an imported checkpoint is copied as is. The training graph embeds a small vocabulary as a
 * one-hot times matrix product, which SameDiff's autodiff differentiates correctly ({@code gather}'s gradient is
 * wrong in M2.1, see the field notes), and gathers rows above {@value #ONE_HOT_VOCAB_LIMIT} tokens, where only
 * the hand-derived backward pass is exact.
 */
public final class Qwen3Model {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String LOGITS = "logits";
    public static final String HIDDEN = "final_hidden";
    public static final String STEP_IDS = "step_ids";
    public static final String STEP_POSITIONS = "step_positions";
    public static final String STEP_MASK = "step_mask";
    public static final String STEP_LOGITS = "step_logits";

    static final String EMBED = "model.embed_tokens.weight";
    static final String FINAL_NORM = "model.norm.weight";
    static final String LM_HEAD = "lm_head.weight";

    /** Added to the attention scores of masked keys. Finite, so fully padded rows stay finite. */
    private static final double MASKED = -1e9;

    /** Largest vocabulary whose training graph embeds tokens as a one-hot product (see {@link #embed}). */
    static final int ONE_HOT_VOCAB_LIMIT = 4096;

    /** Query blocks of the training graph's causal attention ({@link CausalBlocks}): 5/8 of the full product. */
    static final int ATTENTION_BLOCKS = 4;
    /** Masked tokens the training graph puts before every sequence (and strips from its outputs). */
    private static final int LEAD = CausalBlocks.lead(ATTENTION_BLOCKS);

    private final ModelConfig config;
    private final DataType dtype;
    private final SameDiff sd;
    private final SDVariable logits;
    /** The training graph's intermediates for {@link Qwen3Backward}. */
    private final Qwen3Backward.Tape tape;

    private Qwen3Model(ModelConfig config, Map<String, INDArray> weights, DataType dtype) {
        this.config = config;
        this.dtype = dtype;
        this.sd = SameDiff.create();
        parameterShapes(config).forEach((name, shape) -> sd.var(name, weights.get(name).castTo(dtype)));
        this.tape = new Qwen3Backward.Tape();
        this.logits = buildTrainingGraph();
        buildDecodingStep();
    }

    /** A freshly initialised float32 model: normal(0, 0.02) matrices, unit norms. */
    public static Qwen3Model create(ModelConfig config, long seed) {
        return create(config, seed, DataType.FLOAT);
    }

    /**
     * A freshly initialised model in the given floating-point type (float64 for gradient checks). Values are
     * drawn in float64 and stored in float32 unless float64 is asked for, so a float32 model costs 8 bytes a
     * parameter at its peak, not 20 (which a Qwen3-0.6B shape would feel: 12 GB).
     */
    public static Qwen3Model create(ModelConfig config, long seed, DataType dtype) {
        Random random = new Random(seed);
        Map<String, INDArray> weights = new LinkedHashMap<>();
        parameterShapes(config).forEach((name, shape) -> {
            int n = Math.toIntExact(shape[0] * (shape.length > 1 ? shape[1] : 1));
            INDArray values;
            if (dtype == DataType.DOUBLE) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = shape.length == 1 ? 1.0 : 0.02 * random.nextGaussian();
                }
                values = Nd4j.createFromArray(v);
            } else {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = shape.length == 1 ? 1f : (float) (0.02 * random.nextGaussian());
                }
                values = Nd4j.createFromArray(v).castTo(dtype);
            }
            weights.put(name, values.reshape(shape));
        });
        return new Qwen3Model(config, weights, dtype);
    }

    /**
     * A model over the given weights, named and shaped as in {@link #parameterShapes}; a missing or wrongly
     * shaped tensor is an error naming it.
     */
    public static Qwen3Model fromWeights(ModelConfig config, Map<String, INDArray> weights, DataType dtype) {
        parameterShapes(config).forEach((name, shape) -> {
            INDArray w = weights.get(name);
            if (w == null) {
                throw new IllegalArgumentException("missing weight tensor '" + name + "' (shape " + Arrays.toString(shape) + ")");
            }
            if (!Arrays.equals(w.shape(), shape)) {
                throw new IllegalArgumentException("weight tensor '" + name + "' has shape " + Arrays.toString(w.shape())
                        + " but the config needs " + Arrays.toString(shape));
            }
        });
        return new Qwen3Model(config, weights, dtype);
    }

    /** Every parameter's Hugging Face name and shape, in a stable order. */
    static Map<String, long[]> parameterShapes(ModelConfig c) {
        long d = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(EMBED, new long[] {c.vocabSize(), d});
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {d});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {q, d});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {kv, d});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {kv, d});
            shapes.put(p + "self_attn.q_norm.weight", new long[] {c.headDim()});
            shapes.put(p + "self_attn.k_norm.weight", new long[] {c.headDim()});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {d, q});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {d});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {c.intermediateSize(), d});
            shapes.put(p + "mlp.up_proj.weight", new long[] {c.intermediateSize(), d});
            shapes.put(p + "mlp.down_proj.weight", new long[] {d, c.intermediateSize()});
        }
        shapes.put(FINAL_NORM, new long[] {d});
        if (!c.tieWordEmbeddings()) {
            shapes.put(LM_HEAD, new long[] {c.vocabSize(), d});
        }
        return shapes;
    }

    private SDVariable buildTrainingGraph() {
        SDVariable ids = sd.placeHolder(INPUT_IDS, DataType.INT, -1, -1);
        SDVariable mask = sd.placeHolder(ATTENTION_MASK, DataType.INT, -1, -1);
        SDVariable batch = sd.castTo(sd.slice(sd.shape(ids), new int[] {0}, 1), DataType.LONG);
        if (LEAD > 0) {                                     // masked tokens in front, so that no attention block is empty
            SDVariable lead = sd.fill(dims(batch, lit(LEAD)), DataType.INT, 0);
            ids = sd.concat(1, lead, ids);
            mask = sd.concat(1, lead, mask);
        }
        mask = sd.castTo(mask, dtype);                                                             // [B,T]
        SDVariable positions = sd.nn.relu(sd.cumsum(mask, 1).sub(1.0), 0);                     // [B,T]
        SDVariable tokens = sd.castTo(sd.slice(sd.shape(ids), new int[] {1}, 1), DataType.LONG);
        CausalBlocks blocks = CausalBlocks.of(sd, ATTENTION_BLOCKS, tokens, attentionBias(mask), config.groupSize());
        SDVariable all = forward(ids, positions, blocks, null, null, Qwen3Model::cacheKey, Qwen3Model::cacheValue, tape);
        SDVariable hidden = sd.reshape(HIDDEN, withoutLead(null, all.reshape(tape.shapes.hidden), 3, 1), -1, config.hiddenSize());
        tape.hidden = hidden;
        return sd.reshape(LOGITS, head(hidden), dims(batch, lit(-1), lit(config.vocabSize())));    // [B,T,V]
    }

    /**
     * The additive attention bias [B,1,T*G,T] of a pass with mask [B,T]: future keys and padded keys masked. The
     * causal part depends on T only: built at [1,1,T*G,T], then one broadcast product and sum per pass.
     */
    private SDVariable attentionBias(SDVariable mask) {
        SDVariable index = sd.cumsum(sd.onesLike(sd.stridedSlice(mask, new long[] {0, 0}, new long[] {1, 0}, new long[] {1, 1}, 0, 2, 0, 0, 0)), 1);   // [1,T]
        SDVariable key = sd.expandDims(sd.expandDims(index, 1), 1);                                // [1,1,1,T]
        SDVariable query = sd.expandDims(sd.expandDims(groupedQueries(index), 1), 3);              // [1,1,T*G,1]
        SDVariable future = sd.castTo(sd.gt(key, query), dtype).mul(MASKED);
        // A padded key is hidden except from itself: a padding query then sees one key, never none
        // (a row with every score masked gives NaN in SameDiff's softmax and poisons the gradients).
        SDVariable notSelf = sd.castTo(sd.neq(key, query), dtype);
        return keyMaskBias(mask, MASKED).mul(notSelf).add(future);
    }

    /** x of the given rank without the training graph's leading masked tokens on the token axis. */
    private SDVariable withoutLead(String name, SDVariable x, int rank, int tokenAxis) {
        long[] begin = new long[rank];
        begin[tokenAxis] = LEAD;
        long[] strides = new long[rank];
        Arrays.fill(strides, 1);
        return sd.stridedSlice(name, x, begin, new long[rank], strides, 0, (1 << rank) - 1, 0, 0, 0);
    }

    private void buildDecodingStep() {
        SDVariable ids = sd.placeHolder(STEP_IDS, DataType.INT, -1, 1);
        SDVariable positions = sd.castTo(sd.placeHolder(STEP_POSITIONS, DataType.INT, -1, 1), dtype);
        SDVariable mask = sd.castTo(sd.placeHolder(STEP_MASK, DataType.INT, -1, -1), dtype);       // [B,P+1]
        SDVariable[] pastK = new SDVariable[config.numHiddenLayers()];
        SDVariable[] pastV = new SDVariable[config.numHiddenLayers()];
        for (int l = 0; l < pastK.length; l++) {
            pastK[l] = sd.placeHolder(pastKey(l), dtype, -1, config.numKeyValueHeads(), -1, config.headDim());
            pastV[l] = sd.placeHolder(pastValue(l), dtype, -1, config.numKeyValueHeads(), -1, config.headDim());
        }
        CausalBlocks attention = CausalBlocks.single(sd, keyMaskBias(mask, MASKED));   // [B,1,1,P+1], broadcast over G
        sd.identity(STEP_LOGITS, head(forward(ids, positions, attention, pastK, pastV, Qwen3Model::stepKey, Qwen3Model::stepValue, null)));
    }

    /**
     * Token indices [1,T] repeated for each of the G query heads that share a key/value head: [1,T*G], the
     * query axis of the grouped attention scores (row t*G + g). Building the bias at that size directly is much
     * cheaper than tiling a [B,1,T,T] bias (SameDiff's tile is slow).
     */
    private SDVariable groupedQueries(SDVariable index) {
        SDVariable[] copies = new SDVariable[config.groupSize()];
        Arrays.fill(copies, sd.expandDims(index, 2));
        return copies.length == 1 ? index : sd.concat(2, copies).reshape(1, -1);
    }

    /** (1 - mask) * scale as [B,1,1,T]: added to scores it hides padded keys. */
    private SDVariable keyMaskBias(SDVariable mask, double scale) {
        return sd.expandDims(sd.expandDims(mask.rsub(1.0).mul(scale), 1), 1);
    }

    /**
     * The decoder on S new tokens per sequence: ids [B,S], positions [B,S], optional past keys/values
     * [B,Hkv,P,Dh], and the attention's query blocks with their additive biases, which broadcast to the grouped
     * scores [B,Hkv,S*G,P+S]: the G query heads sharing a key/value head attend as one sequence of S*G queries
     * (no K/V copies). Returns the final normalised hidden states [B*S,d]. With a {@code tape}, records what the
     * hand-derived backward pass needs.
     */
    private SDVariable forward(SDVariable ids, SDVariable positions, CausalBlocks blocks, SDVariable[] pastK,
                               SDVariable[] pastV, IntFunction<String> kName, IntFunction<String> vName, Qwen3Backward.Tape tape) {
        Shapes shapes = new Shapes(ids);
        Rope rope = rope(positions);
        SDVariable x = embed(ids, pastK != null, tape);                                             // [B*S,d]
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            Qwen3Backward.Layer layer = new Qwen3Backward.Layer(p);
            layer.inputNorm = norm(x, w(p + "input_layernorm.weight"), 1);
            x = x.add(attention(p, layer.inputNorm.output(), rope, blocks, shapes, pastK == null ? null : pastK[l],
                    pastV == null ? null : pastV[l], kName.apply(l), vName.apply(l), layer));
            layer.postNorm = norm(x, w(p + "post_attention_layernorm.weight"), 1);
            SDVariable h = layer.postNorm.output();
            layer.gate = linear(h, p + "mlp.gate_proj.weight");                                    // [B*S,I]
            layer.sigmoid = sd.nn.sigmoid(layer.gate);
            layer.silu = layer.gate.mul(layer.sigmoid);
            layer.up = linear(h, p + "mlp.up_proj.weight");
            layer.activation = layer.silu.mul(layer.up);
            x = x.add(linear(layer.activation, p + "mlp.down_proj.weight"));
            if (tape != null) {
                tape.layers.add(layer);
            }
        }
        Qwen3Backward.Norm last = norm(x, w(FINAL_NORM), 1);
        if (tape != null) {
            tape.finalNorm = last;
            tape.rope = rope;
            tape.shapes = shapes;
            tape.blocks = blocks;
        }
        return last.output();
    }

    /** Next-token logits [N,V] of final hidden states [N,d]. */
    private SDVariable head(SDVariable hidden) {
        return linear(hidden, headName());
    }

    private String headName() {
        return config.tieWordEmbeddings() ? EMBED : LM_HEAD;
    }

    /**
     * Token embeddings [B*S,d]. Rows are looked up with gather in the decoding step, which no gradient goes
     * through, and in the training graph of a vocabulary above {@value #ONE_HOT_VOCAB_LIMIT}, whose backward pass
     * is {@link Qwen3Backward}'s (with Qwen3's 151936 tokens a one-hot product costs 2.5 GFLOP per token of a
     * 0.6B model and its one-hot 600 KB per token). Smaller vocabularies multiply a one-hot by the matrix, which
     * SameDiff's autodiff can also differentiate: M2.1's gather gradient breaks on a weight used twice, as a
     * tied embedding is.
     */
    private SDVariable embed(SDVariable ids, boolean noGradient, Qwen3Backward.Tape tape) {
        int vocab = config.vocabSize();
        if (noGradient || vocab > ONE_HOT_VOCAB_LIMIT) {
            SDVariable rows = ids.reshape(-1);
            if (tape != null) {
                tape.ids = rows;
            }
            return sd.gather(w(EMBED), rows, 0);
        }
        SDVariable oneHot = sd.oneHot(ids, vocab, -1, 1.0, 0.0, dtype).reshape(-1, vocab);
        if (tape != null) {
            tape.oneHot = oneHot;
        }
        return oneHot.mmul(w(EMBED));
    }

    /** Grouped-query self-attention of h [B*S,d]; returns [B*S,d]. */
    private SDVariable attention(String p, SDVariable h, Rope rope, CausalBlocks blocks, Shapes shapes,
                                 SDVariable pastK, SDVariable pastV, String kName, String vName, Qwen3Backward.Layer layer) {
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int dh = config.headDim();
        layer.queryNorm = norm(linear(h, p + "self_attn.q_proj.weight").reshape(-1, heads, dh), w(p + "self_attn.q_norm.weight"), 2);
        layer.keyNorm = norm(linear(h, p + "self_attn.k_proj.weight").reshape(-1, kvHeads, dh), w(p + "self_attn.k_norm.weight"), 2);
        SDVariable q = layer.queryNorm.output();
        SDVariable k = layer.keyNorm.output();
        SDVariable v = linear(h, p + "self_attn.v_proj.weight").reshape(-1, kvHeads, dh);         // [B*S,Hkv,Dh]
        q = rotary(q, heads, rope.queryCos(), rope.querySin(), rope.rotate());                      // scaled by 1/sqrt(Dh)
        k = rotary(k, kvHeads, rope.keyCos(), rope.keySin(), rope.rotate());
        q = sd.permute(q.reshape(shapes.tokensByGroups), 0, 2, 1, 3, 4).reshape(shapes.grouped);    // [B,Hkv,S*G,Dh]
        k = sd.permute(k.reshape(shapes.tokensByKvHeads), 0, 2, 1, 3);                            // [B,Hkv,S,Dh]
        v = sd.permute(v.reshape(shapes.tokensByKvHeads), 0, 2, 1, 3);
        if (pastK == null) {
            withoutLead(kName, k, 4, 2);                                                            // the prompt's cache
            withoutLead(vName, v, 4, 2);
        } else {
            k = sd.concat(kName, 2, pastK, k);                                                      // [B,Hkv,P+S,Dh]
            v = sd.concat(vName, 2, pastV, v);
        }
        SDVariable[] queries = blocks.rows(q);
        SDVariable[] outputs = new SDVariable[queries.length];
        for (int c = 0; c < queries.length; c++) {
            SDVariable keys = blocks.keys(k, c);
            SDVariable values = blocks.keys(v, c);
            SDVariable scores = sd.mmul(queries[c], keys, false, true, false).add(blocks.bias(c));  // [B,Hkv,rows,keys]
            SDVariable probabilities = sd.nn.softmax(scores, 3);
            outputs[c] = sd.mmul(probabilities, values);                                            // [B,Hkv,rows,Dh]
            layer.blocks.add(new Qwen3Backward.Block(queries[c], keys, values, probabilities, outputs[c]));
        }
        SDVariable out = outputs.length == 1 ? outputs[0] : sd.concat(2, outputs);                  // [B,Hkv,S*G,Dh]
        layer.heads = sd.permute(out.reshape(shapes.groupsByTokens), 0, 2, 1, 3, 4).reshape(-1, (long) heads * dh);   // [B*S,H*Dh]
        return linear(layer.heads, p + "self_attn.o_proj.weight");
    }

    /** The run-time shapes of one forward pass (B is a placeholder dimension), built once for all layers. */
    final class Shapes {
        final SDVariable batch;             // [1] = B
        final SDVariable tokensByGroups;    // [B,S,Hkv,G,Dh]
        final SDVariable tokensByKvHeads;   // [B,S,Hkv,Dh]
        final SDVariable grouped;           // [B,Hkv,S*G,Dh]
        final SDVariable groupsByTokens;    // [B,Hkv,S,G,Dh]
        final SDVariable hidden;            // [B,S,d]

        Shapes(SDVariable ids) {
            long dh = config.headDim();
            long kv = config.numKeyValueHeads();
            long g = config.groupSize();
            batch = sd.castTo(sd.slice(sd.shape(ids), new int[] {0}, 1), DataType.LONG);
            tokensByGroups = dims(batch, lit(-1), lit(kv), lit(g), lit(dh));
            tokensByKvHeads = dims(batch, lit(-1), lit(kv), lit(dh));
            grouped = dims(batch, lit(kv), lit(-1), lit(dh));
            groupsByTokens = dims(batch, lit(kv), lit(-1), lit(g), lit(dh));
            hidden = dims(batch, lit(-1), lit(config.hiddenSize()));
        }
    }

    /** x W^T with W in Hugging Face's [out,in] layout. */
    private SDVariable linear(SDVariable x, String weight) {
        return sd.mmul(x, w(weight), false, true, false);
    }

    /**
     * x / rms(x) * weight over {@code axis} (the last one). The weight multiplies by broadcasting: training
     * differentiates it by hand ({@link Qwen3Backward}); only SameDiff's autodiff pays M2.1's slow
     * broadcast-multiply gradient (~20x an equal-shape one).
     */
    private Qwen3Backward.Norm norm(SDVariable x, SDVariable weight, int axis) {
        SDVariable rms = sd.math.sqrt(sd.mean(x.mul(x), true, axis).add(config.rmsNormEps()));
        SDVariable normed = x.div(rms);
        return new Qwen3Backward.Norm(x, axis, rms, normed, weight, normed.mul(weight));
    }

    /**
     * Rotary embedding tables for positions [B,S] (rotate-half form), expanded once per pass to the query
     * [B*S,H,Dh] and key [B*S,Hkv,Dh] shapes so that every layer multiplies equal shapes.
     * The query tables carry the attention scale 1/sqrt(Dh), which saves one op per layer.
     */
    private Rope rope(SDVariable positions) {
        int dh = config.headDim();
        double[] inverse = new double[dh];
        double[][] rotate = new double[dh][dh];   // x · rotate = cat(-x2, x1)
        for (int i = 0; i < dh / 2; i++) {
            inverse[i] = inverse[i + dh / 2] = 1.0 / Math.pow(config.ropeTheta(), 2.0 * i / dh);
            rotate[i + dh / 2][i] = -1;
            rotate[i][i + dh / 2] = 1;
        }
        SDVariable angles = positions.reshape(-1, 1, 1).mul(sd.constant(Nd4j.createFromArray(inverse).castTo(dtype).reshape(1, 1, dh)));
        SDVariable cos = sd.math.cos(angles);                                                      // [B*S,1,Dh]
        SDVariable sin = sd.math.sin(angles);
        SDVariable tokens = sd.castTo(sd.slice(sd.shape(angles), new int[] {0}, 1), DataType.LONG);
        SDVariable queries = sd.fill(dims(tokens, lit(config.numAttentionHeads()), lit(dh)), dtype, 0.0);
        SDVariable keys = sd.fill(dims(tokens, lit(config.numKeyValueHeads()), lit(dh)), dtype, 0.0);
        double scale = 1.0 / Math.sqrt(dh);
        return new Rope(queries.add(cos.mul(scale)), queries.add(sin.mul(scale)), keys.add(cos), keys.add(sin),
                sd.constant(Nd4j.createFromArray(rotate).castTo(dtype)));
    }

    /** Rotation tables at the query and key shapes. */
    record Rope(SDVariable queryCos, SDVariable querySin, SDVariable keyCos, SDVariable keySin, SDVariable rotate) {
    }

    /** x [B*S,n,Dh] rotated by its position: x cos + rotate_half(x) sin, with tables of x's shape. */
    private SDVariable rotary(SDVariable x, int n, SDVariable cos, SDVariable sin, SDVariable rotate) {
        SDVariable half = x.reshape(-1, config.headDim()).mmul(rotate).reshape(-1, n, config.headDim());
        return x.mul(cos).add(half.mul(sin));
    }

    private SDVariable w(String name) {
        return sd.getVariable(name);
    }

    private SDVariable lit(long value) {
        return sd.constant(Nd4j.createFromArray(new long[] {value}));
    }

    private SDVariable dims(SDVariable... parts) {
        return sd.concat(0, parts);
    }

    public static String cacheKey(int layer) { return "cache_k." + layer; }
    public static String cacheValue(int layer) { return "cache_v." + layer; }
    public static String pastKey(int layer) { return "past_k." + layer; }
    public static String pastValue(int layer) { return "past_v." + layer; }
    public static String stepKey(int layer) { return "step_k." + layer; }
    public static String stepValue(int layer) { return "step_v." + layer; }

    public ModelConfig config() { return config; }

    public DataType dataType() { return dtype; }

    /** The SameDiff instance: attach the objective to it and train it. */
    public SameDiff sd() { return sd; }

    /**
     * The output projection [V,d] (the embedding when tied): a sampler's prompt pass applies it to the last
     * position's {@value #HIDDEN} only, rather than to every position (B x T x V floats for a large vocabulary).
     */
    public INDArray headWeight() {
        return sd.getArrForVarName(headName());
    }

    /**
     * Builds the hand-derived backward pass ({@link Qwen3Backward}) into the graph for dL/dlogits of the training
     * graph's logits, in vocabulary chunks consumed one by one, and returns every weight's gradient by name.
     */
    public Map<String, SDVariable> backward(LogitsGradient logitsGradient) {
        if (logitsGradient.vocabSize() != config.vocabSize()) {
            throw new IllegalArgumentException("logits gradient over " + logitsGradient.vocabSize() + " tokens for a model of " + config.vocabSize());
        }
        return Qwen3Backward.gradients(sd, config, tape, logitsGradient);
    }

    /** The training graph's logits [B,T,V]. */
    public SDVariable logits() { return logits; }

    /**
     * The training graph's logits as vocabulary chunks of {@link TargetLogProbs#CHUNK} tokens, each made from
     * {@value #HIDDEN} and a slice of the output projection when the objective needs it, for
     * {@code EchoObjective.attach(model.sd(), model.logitChunks(), config)}: a training update then never makes the
     * [B,T,V] logits (2.3 GiB at Qwen3's vocabulary and 4 x 1024 tokens) or their reshape. A vocabulary of one
     * chunk is {@link #logits()} itself.
     */
    public LogitChunks logitChunks() {
        return logitChunks(TargetLogProbs.CHUNK);
    }

    /** {@link #logitChunks()} with {@code chunk} tokens per chunk (tests chunk small vocabularies). */
    public LogitChunks logitChunks(int chunk) {
        return new ProjectedLogits(tape.hidden, w(headName()), tape.shapes.batch, logits, config.vocabSize(), chunk);
    }

    /** The current weights by Hugging Face name (live arrays, not copies). */
    public Map<String, INDArray> weights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        parameterShapes(config).keySet().forEach(name -> out.put(name, sd.getArrForVarName(name)));
        return out;
    }

    /** Logits [B,T,V] of the training graph for ids [B,T] and mask [B,T]. */
    public INDArray forward(int[][] ids, int[][] mask) {
        Map<String, INDArray> in = Map.of(INPUT_IDS, Nd4j.createFromArray(ids), ATTENTION_MASK, Nd4j.createFromArray(mask));
        return sd.output(in, LOGITS).get(LOGITS);
    }
}
