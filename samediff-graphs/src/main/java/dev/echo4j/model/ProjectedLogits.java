package dev.echo4j.model;

import dev.echo4j.objective.LogitChunks;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training graph's logits made chunk by chunk from the output projection: chunk k is the final hidden states
 * [B*T,d] times rows start(k)..start(k)+width(k) of the head's weight [V,d], as [B,T,width]. Only one chunk's
 * product exists at a time, never the [B*T,V] product or its [B,T,V] reshape. One chunk is the model's own logits.
 */
final class ProjectedLogits implements LogitChunks {

    private final SameDiff sd;
    private final SDVariable hidden;     // [B*T,d]
    private final SDVariable weight;     // [V,d]
    private final SDVariable batch;      // [1] = B
    private final SDVariable whole;      // [B,T,V], for a vocabulary of one chunk
    private final long vocabSize;
    private final int chunkSize;

    ProjectedLogits(SDVariable hidden, SDVariable weight, SDVariable batch, SDVariable whole, long vocabSize, int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk must be > 0, got " + chunkSize);
        }
        this.sd = hidden.getSameDiff();
        this.hidden = hidden;
        this.weight = weight;
        this.batch = batch;
        this.whole = whole;
        this.vocabSize = vocabSize;
        this.chunkSize = chunkSize;
    }

    @Override
    public long vocabSize() {
        return vocabSize;
    }

    @Override
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public DataType dataType() {
        return hidden.dataType();
    }

    @Override
    public SDVariable chunk(int k, SDVariable wait) {
        if (count() == 1) {
            return whole;
        }
        long width = width(k);
        SDVariable shape = sd.concat(0, batch, sd.constant(Nd4j.createFromArray(-1L, width)));
        return sd.reshape(sd.mmul(hidden, rows(weight, start(k), width, wait), false, true, false), shape);   // [B,T,width]
    }

    /** Rows start..start+width of the head's weight [V,d], sliced once {@code wait} is computed (not all up front: a copy of the weight). */
    static SDVariable rows(SDVariable weight, long start, long width, SDVariable wait) {
        SameDiff sd = weight.getSameDiff();
        SDVariable begin = sd.constant(Nd4j.createFromArray(start, 0L)).add(wait);
        return sd.slice(weight, begin, sd.constant(Nd4j.createFromArray(width, weight.getShape()[1])));             // [width,d]
    }
}
