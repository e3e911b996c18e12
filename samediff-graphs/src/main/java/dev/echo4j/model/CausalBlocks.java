package dev.echo4j.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Causal attention in query blocks, so that the scores above the diagonal blocks are never computed: block c
 * holds the queries of tokens [s_c, e_c) and scores only the keys [0, e_c). With C blocks attention costs
 * (C+1)/(2C) of the full product (5/8 for C = 4), in the forward and the backward pass alike.
 *
 * <p>The boundaries e_c = floor((c+1) T / C) are computed from each pass's length T, and a block must not be
 * empty (SameDiff M2.1's softmax crashes the JVM on an empty array), so the training graph left-pads every
 * sequence with {@link #lead(int)} = C-1 masked tokens, which changes no logit (the model is padding-invariant),
 * and strips them from its outputs. A single block is plain attention: the decoding step's one query.
 *
 * <p>Queries are grouped token-major, row t*G + g for token t and the g-th query head of a key/value head, so
 * that a block's rows are contiguous.
 */
final class CausalBlocks {

    private final SameDiff sd;
    private final int count;
    private final SDVariable[] rowStarts;   // per block, the stridedSlice begin [0,0,s_c G,0] of [B,Hkv,T*G,X]
    private final SDVariable[] rowEnds;     // per block, the end [0,0,e_c G,0]
    private final SDVariable[] keyEnds;     // per block, the stridedSlice end [0,0,e_c,0] of [B,Hkv,T,Dh]
    private final SDVariable[] biases;      // per block, the bias's rows [s_c G, e_c G) and keys [0, e_c)
    private final SDVariable[] keyPaddings; // per block, [4,2] zeros that grow [B,Hkv,e_c,Dh] back to T keys

    private CausalBlocks(SameDiff sd, int count, SDVariable[] rowStarts, SDVariable[] rowEnds, SDVariable[] keyEnds,
                         SDVariable[] biases, SDVariable[] keyPaddings) {
        this.sd = sd;
        this.count = count;
        this.rowStarts = rowStarts;
        this.rowEnds = rowEnds;
        this.keyEnds = keyEnds;
        this.biases = biases;
        this.keyPaddings = keyPaddings;
    }

    /** Plain attention with one bias for all queries (the decoding step). */
    static CausalBlocks single(SameDiff sd, SDVariable bias) {
        return new CausalBlocks(sd, 1, null, null, null, new SDVariable[] {bias}, null);
    }

    /**
     * {@code count} blocks over a pass of {@code tokens} ([1] LONG, at least {@code count}) with the grouped
     * attention bias [B,1,T*G,T] of group size {@code group}.
     */
    static CausalBlocks of(SameDiff sd, int count, SDVariable tokens, SDVariable bias, int group) {
        if (count == 1) {
            return single(sd, bias);
        }
        SDVariable[] ends = new SDVariable[count];
        for (int c = 0; c < count; c++) {
            ends[c] = c == count - 1 ? tokens : sd.math.floorDiv(tokens.mul(c + 1), constant(sd, count));
        }
        SDVariable zero = constant(sd, 0);
        SDVariable[] rowStarts = new SDVariable[count];
        SDVariable[] rowEnds = new SDVariable[count];
        SDVariable[] keyEnds = new SDVariable[count];
        SDVariable[] biases = new SDVariable[count];
        SDVariable[] keyPaddings = new SDVariable[count];
        for (int c = 0; c < count; c++) {
            SDVariable start = c == 0 ? zero : ends[c - 1];
            rowStarts[c] = sd.concat(0, zero, zero, start.mul(group), zero);
            rowEnds[c] = sd.concat(0, zero, zero, ends[c].mul(group), zero);
            keyEnds[c] = sd.concat(0, zero, zero, ends[c], zero);
            SDVariable biasEnd = sd.concat(0, zero, zero, ends[c].mul(group), ends[c]);
            biases[c] = sd.stridedSlice(bias, rowStarts[c], biasEnd, constant(sd, 1, 1, 1, 1), 0, 0b0011, 0, 0, 0);
            keyPaddings[c] = sd.castTo(sd.concat(0, zero, zero, zero, zero, zero, tokens.sub(ends[c]), zero, zero), DataType.INT).reshape(4, 2);
        }
        return new CausalBlocks(sd, count, rowStarts, rowEnds, keyEnds, biases, keyPaddings);
    }

    /** The masked tokens the training graph puts before every sequence so that no block is empty. */
    static int lead(int count) {
        return count - 1;
    }

    int count() {
        return count;
    }

    /** Splits grouped rows [B,Hkv,T*G,X] (queries, or their gradient) into the blocks' rows. */
    SDVariable[] rows(SDVariable grouped) {
        SDVariable[] rows = new SDVariable[count];
        for (int c = 0; c < count; c++) {
            rows[c] = count == 1 ? grouped
                    : sd.stridedSlice(grouped, rowStarts[c], rowEnds[c], constant(sd, 1, 1, 1, 1), 0, 0b1011, 0, 0, 0);
        }
        return rows;
    }

    /** The keys (or values) [B,Hkv,T,Dh] that block c scores: [B,Hkv,e_c,Dh]. */
    SDVariable keys(SDVariable keys, int c) {
        return count == 1 ? keys
                : sd.stridedSlice(keys, constant(sd, 0, 0, 0, 0), keyEnds[c], constant(sd, 1, 1, 1, 1), 0, 0b1011, 0, 0, 0);
    }

    /** Block c's additive attention bias. */
    SDVariable bias(int c) {
        return biases[c];
    }

    /** A gradient [B,Hkv,e_c,Dh] of block c's keys (or values) grown back to all T keys with zeros. */
    SDVariable allKeys(SDVariable gradient, int c) {
        return count == 1 || c == count - 1 ? gradient : sd.nn.pad(gradient, keyPaddings[c], 0.0);
    }

    private static SDVariable constant(SameDiff sd, long... values) {
        return sd.constant(Nd4j.createFromArray(values));
    }
}
