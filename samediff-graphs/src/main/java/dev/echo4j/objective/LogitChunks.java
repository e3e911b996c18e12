package dev.echo4j.objective;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Logits [B,T,V] as consecutive vocabulary chunks of {@link #chunkSize()} columns, each made when the objective
 * asks for it: slices of a logits variable ({@link #of}), or, from a model that can, its output projection
 * applied to one slice of its weight at a time ({@code Qwen3Model#logitChunks}), so that the whole [B,T,V] array
 * is never made. At Qwen3's 151,936-token vocabulary and 4 x 1024 positions that array is 2.3 GiB, and SameDiff's
 * reshape of the head's [B*T,V] product made a second one.
 *
 * <p>{@link #chunk} is called more than once per chunk (the log-probs, then the gradient): a projection computes
 * the chunk again rather than keep it, one more product of the head's size per update for 1/count of the memory.
 */
public interface LogitChunks {

    /** V. */
    long vocabSize();

    /** Columns per chunk (the last chunk may have fewer). */
    int chunkSize();

    /** The logits' floating-point type. */
    DataType dataType();

    /**
     * Chunk k of the logits [B,T,width(k)]. {@code wait} is an INT64 zero computed from the previous chunk's
     * results: the chunk must depend on it (add it to an offset) so that SameDiff makes the chunks one after the
     * other and frees each before the next.
     */
    SDVariable chunk(int k, SDVariable wait);

    default int count() {
        return (int) ((vocabSize() + chunkSize() - 1) / chunkSize());
    }

    default long start(int k) {
        return (long) k * chunkSize();
    }

    default long width(int k) {
        return Math.min(chunkSize(), vocabSize() - start(k));
    }

    /** An INT64 zero [1] computed from {@code result}: what adds it to an offset waits for {@code result} (a chunk's {@code wait}). */
    static SDVariable after(SDVariable result) {
        SameDiff sd = result.getSameDiff();
        return sd.reshape(sd.castTo(sd.sizeAt(result, 0), DataType.INT64).mul(0L), 1);
    }

    /** Chunks of {@code chunk} columns sliced from a logits variable [B,T,V]; the variable itself when it is one chunk. */
    static LogitChunks of(SDVariable logits, long vocabSize, int chunk) {
        return new SlicedLogits(logits, vocabSize, chunk);
    }
}
