package dev.echo4j.sampling;

import java.util.Arrays;

/**
 * One sequence's cached keys and values, for every layer and key/value head, of its real tokens only (no
 * padding, so no mask), growing as tokens are appended. Laid out for {@link CpuDecodingStep}'s attention
 * loops: keys transposed ({@code [Dh][position]}), so that a query's scores over all positions are Dh
 * multiply-adds along positions, and values as rows ({@code [position][Dh]}), so that the weighted sum of
 * values is multiply-adds along Dh.
 */
final class SequenceKvCache {

    private final int headDim;
    private final float[][][][] keys;     // [layer][kvHead][d][position]
    private final float[][][][] values;   // [layer][kvHead][position][d]
    private int capacity;
    private int length;

    SequenceKvCache(int layers, int kvHeads, int headDim, int capacity) {
        this.headDim = headDim;
        this.keys = new float[layers][kvHeads][headDim][capacity];
        this.values = new float[layers][kvHeads][capacity][headDim];
        this.capacity = capacity;
    }

    /**
     * Sequence b of a prefill's cache: {@code keys[layer]} and {@code values[layer]} are [B,Hkv,T,Dh] in C order
     * ({@code T = width}), the sequence's {@code length} real tokens right-aligned (its left padding is skipped).
     */
    static SequenceKvCache ofPrefill(float[][] keys, float[][] values, int b, int length, int width, int kvHeads, int headDim) {
        SequenceKvCache cache = new SequenceKvCache(keys.length, kvHeads, headDim, length);
        for (int t = width - length; t < width; t++) {
            for (int l = 0; l < keys.length; l++) {
                for (int h = 0; h < kvHeads; h++) {
                    int at = ((b * kvHeads + h) * width + t) * headDim;
                    cache.put(l, h, keys[l], at, values[l], at);
                }
            }
            cache.advance();
        }
        return cache;
    }

    /** Cached positions. The next {@link #put} writes position {@code length()}. */
    int length() {
        return length;
    }

    /** Makes room for one more position, growing by half (amortised constant cost per token). */
    void reserveNext() {
        if (length < capacity) {
            return;
        }
        int grown = capacity + capacity / 2 + 16;
        for (float[][][] layer : keys) {
            for (float[][] head : layer) {
                for (int d = 0; d < headDim; d++) {
                    head[d] = Arrays.copyOf(head[d], grown);
                }
            }
        }
        for (float[][][] layer : values) {
            for (int h = 0; h < layer.length; h++) {
                layer[h] = Arrays.copyOf(layer[h], grown);
                for (int t = capacity; t < grown; t++) {
                    layer[h][t] = new float[headDim];
                }
            }
        }
        capacity = grown;
    }

    /**
     * Stores position {@link #length()} of one layer and head: Dh floats of {@code key} and of {@code value}
     * from the given offsets. Call {@link #reserveNext} first, and {@link #advance} once every layer has it.
     */
    void put(int layer, int kvHead, float[] key, int keyOffset, float[] value, int valueOffset) {
        float[][] k = keys[layer][kvHead];
        for (int d = 0; d < headDim; d++) {
            k[d][length] = key[keyOffset + d];
        }
        System.arraycopy(value, valueOffset, values[layer][kvHead][length], 0, headDim);
    }

    /** Counts the position just stored in every layer as cached. */
    void advance() {
        length++;
    }

    /** Keys {@code [Dh][position]} of one layer and head; positions beyond {@code length()} are unused. */
    float[][] keys(int layer, int kvHead) {
        return keys[layer][kvHead];
    }

    /** Values {@code [position][Dh]} of one layer and head; rows beyond {@code length()} are unused. */
    float[][] values(int layer, int kvHead) {
        return values[layer][kvHead];
    }
}
