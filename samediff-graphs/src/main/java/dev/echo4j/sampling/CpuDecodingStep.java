package dev.echo4j.sampling;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The decoding step of {@link Qwen3Model} (one new token per sequence, on top of a KV cache) in plain
 * single-threaded Java, on the float32 weights copied into {@link CpuWeights}.
 *
 * <p>Why: a decoding step is a few hundred tiny operations. On ND4J's CPU backend each costs far more than
 * its arithmetic (about 100 µs for a 16x128 by 128x512 product, 70 µs for a reduction over a few hundred
 * floats) and SameDiff adds about 15 ms of bookkeeping per step, so sampling the tiny model took 25-33 ms a
 * step where PyTorch takes 7.5 ms. Here a step is a few loops over float arrays.
 *
 * <p>Every hot loop is a multiply-add along one contiguous {@code float[]} indexed from 0, the shape HotSpot
 * C2 vectorizes (JDK 17 does not vectorize a loop indexed with a loop-invariant offset), so matrices are
 * arrays of rows: projections transposed to {@code [in][out]} (q/k/v fused into one, gate/up into one),
 * keys transposed in {@link SequenceKvCache}. {@link #multiplyAdd} is the one kernel for the projections
 * and for attention.
 */
final class CpuDecodingStep {

    /** Output columns per pass of {@link #multiplyAdd} (4 KiB a row): the outputs being summed stay in L2, the weights in L1. */
    private static final int COLUMN_TILE = 1024;

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int hidden;
    private final int intermediate;
    private final int vocab;
    private final float eps;
    private final float queryScale;
    private final float[] inverseFrequency;   // [Dh/2]
    private final float[] embed;              // [V*d], row per token
    private final CpuWeights.Layer[] layers;
    private final float[] finalNorm;
    private final float[][] head;             // [d][V]
    private final SequenceKvCache[] caches;

    // Work buffers: a row per sequence, then those of the one sequence being attended.
    private final float[][] x;
    private final float[][] normed;
    private final float[][] qkv;
    private final float[][] attention;
    private final float[][] gateUp;
    private final float[][] activation;
    private final float[][] cos;
    private final float[][] sin;
    private final float[] key;
    private final float[][] queries;
    private final float[][] headOutputs;
    private float[][] scores = new float[0][0];

    /**
     * A step over {@code weights} and a copy of the prefill's caches: {@code keys}/{@code values} per layer
     * [B,Hkv,T,Dh], sequence b's {@code lengths[b]} real tokens right-aligned (left padding skipped).
     */
    CpuDecodingStep(CpuWeights weights, int[] lengths, INDArray[] keys, INDArray[] values) {
        ModelConfig c = weights.config();
        heads = c.numAttentionHeads();
        kvHeads = c.numKeyValueHeads();
        headDim = c.headDim();
        hidden = c.hiddenSize();
        intermediate = c.intermediateSize();
        vocab = c.vocabSize();
        eps = (float) c.rmsNormEps();
        queryScale = (float) (1.0 / Math.sqrt(headDim));
        inverseFrequency = new float[headDim / 2];
        for (int i = 0; i < headDim / 2; i++) {
            inverseFrequency[i] = (float) (1.0 / Math.pow(c.ropeTheta(), 2.0 * i / headDim));
        }
        embed = weights.embed();
        layers = weights.layers();
        finalNorm = weights.finalNorm();
        head = weights.head();

        int batch = lengths.length;
        float[][] k = Arrays.stream(keys).map(CpuWeights::floats).toArray(float[][]::new);
        float[][] v = Arrays.stream(values).map(CpuWeights::floats).toArray(float[][]::new);
        int width = Math.toIntExact(keys[0].size(2));
        caches = new SequenceKvCache[batch];
        Arrays.setAll(caches, b -> SequenceKvCache.ofPrefill(k, v, b, lengths[b], width, kvHeads, headDim));

        x = new float[batch][hidden];
        normed = new float[batch][hidden];
        qkv = new float[batch][(heads + 2 * kvHeads) * headDim];
        attention = new float[batch][heads * headDim];
        gateUp = new float[batch][2 * intermediate];
        activation = new float[batch][intermediate];
        cos = new float[batch][headDim / 2];
        sin = new float[batch][headDim / 2];
        key = new float[headDim];
        queries = new float[heads][headDim];
        headOutputs = new float[heads][headDim];
    }

    /** Appends one token per sequence and returns the next-token logits [B][V]. */
    float[][] step(int[] tokens) {
        int batch = caches.length;
        for (int b = 0; b < batch; b++) {
            System.arraycopy(embed, tokens[b] * hidden, x[b], 0, hidden);
            caches[b].reserveNext();
            rotation(caches[b].length(), cos[b], sin[b]);
        }
        for (int l = 0; l < layers.length; l++) {
            CpuWeights.Layer layer = layers[l];
            rmsNorm(x, layer.attentionNorm(), normed);
            multiply(normed, layer.qkv(), qkv);
            for (int b = 0; b < batch; b++) {
                attend(l, layer, b);
            }
            multiplyAdd(attention, 0, batch, layer.output(), heads * headDim, hidden, x);
            rmsNorm(x, layer.mlpNorm(), normed);
            multiply(normed, layer.gateUp(), gateUp);
            swiGlu(gateUp, activation);
            multiplyAdd(activation, 0, batch, layer.down(), intermediate, hidden, x);
        }
        for (SequenceKvCache cache : caches) {
            cache.advance();
        }
        rmsNorm(x, finalNorm, normed);
        float[][] logits = new float[batch][vocab];
        multiplyAdd(normed, 0, batch, head, hidden, vocab, logits);
        return logits;
    }

    /**
     * Self-attention of sequence b's new token in layer l: caches its key and value, then writes the heads'
     * outputs to {@code attention[b]}. The group of query heads sharing a key/value head goes through it together.
     */
    private void attend(int l, CpuWeights.Layer layer, int b) {
        SequenceKvCache cache = caches[b];
        int positions = cache.length() + 1;
        float[] row = qkv[b];
        for (int k = 0; k < kvHeads; k++) {
            normalizeAndRotate(row, (heads + k) * headDim, layer.keyNorm(), cos[b], sin[b], 1f, key);
            cache.put(l, k, key, 0, row, (heads + kvHeads + k) * headDim);
        }
        reserveScores(positions);
        for (int h = 0; h < heads; h++) {
            normalizeAndRotate(row, h * headDim, layer.queryNorm(), cos[b], sin[b], queryScale, queries[h]);
            Arrays.fill(scores[h], 0, positions, 0f);
            Arrays.fill(headOutputs[h], 0f);
        }
        int group = heads / kvHeads;
        for (int k = 0; k < kvHeads; k++) {
            int from = k * group;
            int to = from + group;
            multiplyAdd(queries, from, to, cache.keys(l, k), headDim, positions, scores);          // q · K^T
            for (int h = from; h < to; h++) {
                softmax(scores[h], positions);
            }
            multiplyAdd(scores, from, to, cache.values(l, k), positions, headDim, headOutputs);    // p · V
        }
        for (int h = 0; h < heads; h++) {
            System.arraycopy(headOutputs[h], 0, attention[b], h * headDim, headDim);
        }
    }

    /** cos and sin of the rotary angles at {@code position}, half a head wide (both halves rotate alike). */
    private void rotation(int position, float[] cosines, float[] sines) {
        for (int i = 0; i < cosines.length; i++) {
            float angle = position * inverseFrequency[i];
            cosines[i] = (float) Math.cos(angle);
            sines[i] = (float) Math.sin(angle);
        }
    }

    /**
     * One head of {@code src} from {@code offset}: RMS-normalized with {@code weight}, rotated (rotate-half
     * form: x*cos + cat(-x2, x1)*sin) and scaled, into {@code dst}.
     */
    private void normalizeAndRotate(float[] src, int offset, float[] weight, float[] cosines, float[] sines, float scale, float[] dst) {
        float inverseRms = inverseRms(src, offset, headDim);
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            float x1 = src[offset + i] * inverseRms * weight[i];
            float x2 = src[offset + half + i] * inverseRms * weight[half + i];
            dst[i] = (x1 * cosines[i] - x2 * sines[i]) * scale;
            dst[half + i] = (x2 * cosines[i] + x1 * sines[i]) * scale;
        }
    }

    private void rmsNorm(float[][] in, float[] weight, float[][] out) {
        for (int b = 0; b < in.length; b++) {
            float[] src = in[b];
            float[] dst = out[b];
            float inverseRms = inverseRms(src, 0, src.length);
            for (int i = 0; i < src.length; i++) {
                dst[i] = src[i] * inverseRms * weight[i];
            }
        }
    }

    private float inverseRms(float[] v, int offset, int n) {
        float sum = 0;
        for (int i = offset; i < offset + n; i++) {
            sum += v[i] * v[i];
        }
        return (float) (1.0 / Math.sqrt(sum / n + eps));
    }

    /** The first {@code n} scores turned into probabilities, in place. */
    private static void softmax(float[] scores, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            max = Math.max(max, scores[t]);
        }
        float sum = 0;
        for (int t = 0; t < n; t++) {
            scores[t] = (float) Math.exp(scores[t] - max);
            sum += scores[t];
        }
        float inverse = 1 / sum;
        for (int t = 0; t < n; t++) {
            scores[t] *= inverse;
        }
    }

    /** silu(gate) * up, gate and up side by side in each row of {@code gateUp}. */
    private void swiGlu(float[][] gateUp, float[][] out) {
        for (int b = 0; b < gateUp.length; b++) {
            float[] in = gateUp[b];
            float[] dst = out[b];
            for (int i = 0; i < intermediate; i++) {
                float gate = in[i];
                dst[i] = gate / (1 + (float) Math.exp(-gate)) * in[intermediate + i];
            }
        }
    }

    private void reserveScores(int positions) {
        if (scores.length == 0 || scores[0].length < positions) {
            scores = new float[heads][positions + positions / 2 + 16];
        }
    }

    /** y = x · w for every row of x, w as {@code [in][out]} rows. */
    private static void multiply(float[][] x, float[][] w, float[][] y) {
        for (float[] row : y) {
            Arrays.fill(row, 0f);
        }
        multiplyAdd(x, 0, x.length, w, w.length, w[0].length, y);
    }

    /**
     * y[r][0..out) += x[r][0..in) · w for rows r in [from, to), w as {@code [in][>= out]} rows. Four weight rows
     * at a time serve every row of x, so each weight is loaded once per call and each output element stored
     * once per four inputs; columns go in tiles that keep the touched part of y in cache. (A wider unrolling
     * of the inner loop, or two rows of x in it, is no longer vectorized by C2.)
     */
    static void multiplyAdd(float[][] x, int from, int to, float[][] w, int in, int out, float[][] y) {
        for (int j0 = 0; j0 < out; j0 += COLUMN_TILE) {
            int j1 = Math.min(out, j0 + COLUMN_TILE);
            int i = 0;
            for (; i + 3 < in; i += 4) {
                float[] w0 = w[i];
                float[] w1 = w[i + 1];
                float[] w2 = w[i + 2];
                float[] w3 = w[i + 3];
                for (int r = from; r < to; r++) {
                    float[] xr = x[r];
                    float[] yr = y[r];
                    float a0 = xr[i];
                    float a1 = xr[i + 1];
                    float a2 = xr[i + 2];
                    float a3 = xr[i + 3];
                    for (int j = j0; j < j1; j++) {
                        yr[j] += a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j];
                    }
                }
            }
            for (; i < in; i++) {
                float[] wi = w[i];
                for (int r = from; r < to; r++) {
                    float a = x[r][i];
                    float[] yr = y[r];
                    for (int j = j0; j < j1; j++) {
                        yr[j] += a * wi[j];
                    }
                }
            }
        }
    }
}
