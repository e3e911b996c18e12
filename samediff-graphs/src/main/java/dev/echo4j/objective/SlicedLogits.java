package dev.echo4j.objective;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** {@link LogitChunks} sliced from a logits variable [B,T,V] that a graph already made (a user's own model). */
record SlicedLogits(SDVariable logits, long vocabSize, int chunkSize) implements LogitChunks {

    SlicedLogits {
        if (vocabSize <= 0 || chunkSize <= 0) {
            throw new IllegalArgumentException("vocabulary and chunk must be > 0, got " + vocabSize + " and " + chunkSize);
        }
    }

    @Override
    public DataType dataType() {
        return logits.dataType();
    }

    @Override
    public SDVariable chunk(int k, SDVariable wait) {
        if (count() == 1) {
            return logits;
        }
        SameDiff sd = logits.getSameDiff();
        SDVariable begin = sd.constant(Nd4j.createFromArray(0L, 0L, start(k))).add(wait);
        return sd.slice(logits, begin, sd.constant(Nd4j.createFromArray(-1L, -1L, width(k))));
    }
}
