package dev.echo4j.samediff;

import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SameDiff's cache of released arrays, kept for reuse by later ops of a session, for arrays of at most
 * {@link #LARGEST_BYTES}; a larger one is closed when released. M2.1's cache does not hold its own byte bound: with
 * the bound at 256 MiB, the released vocabulary chunks of one update at Qwen3's vocabulary (2 x 1024 tokens,
 * 64 MiB each) stayed cached until the resident set had grown by about 5 GB, against 1.1 GB with every array closed
 * on release. Small arrays, where reuse saves most of an op's allocation and page faults, stay cached.
 */
final class BoundedArrayCache extends ArrayCacheMemoryMgr {

    /** Released arrays above this size are closed, not cached: above the arrays of a tiny or small training step. */
    static final long LARGEST_BYTES = 32L << 20;

    BoundedArrayCache(long maxCacheBytes) {
        setMaxCacheBytes(maxCacheBytes);
    }

    @Override
    public void release(INDArray array) {
        if (array.data() != null && array.data().length() * array.dataType().width() > LARGEST_BYTES && !array.isView()) {
            if (array.closeable()) {
                array.close();
            }
            return;
        }
        super.release(array);
    }
}
