package dev.echo4j.samediff;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees, at once, the off-heap arrays a SameDiff graph's inference sessions keep after a call. SameDiff M2.1 keeps
 * every op's last output referenced by its session until the next call (the logits [B,T,V] of a training pass
 * among them) and a cache of released arrays for reuse of up to a quarter of the JVM's maximum memory: with
 * Qwen3's vocabulary that held gigabytes between updates, which only a garbage collection could return, and the
 * next update then allocated afresh beside them.
 *
 * <p>{@link #release} closes every array the sessions made (not the graph's variables, constants or fed
 * placeholders, nor buffers shared with them or with the arrays the caller keeps), and empties the sessions'
 * caches and bounds them to {@value #CACHE_BYTES} bytes of arrays no larger than 32 MiB ({@link BoundedArrayCache}:
 * M2.1's own bound did not hold for large arrays). Measured with Qwen3's vocabulary on 2 x 256 tokens and
 * glibc returning freed memory (the launcher's setting for evaluations and comparisons): SameDiff's default
 * cache added about 0.5 GB to a pass's peak, no cache at all made each pass allocate and fault in fresh memory
 * (1.8x the CPU time of an update), the bounded cache costs neither. Call it only when no other thread is running
 * the graph and when the outputs of the last call are no longer needed, apart from those passed as {@code keep}.
 */
public final class SessionArrays {

    /** Released arrays a session keeps for reuse (SameDiff's default: a quarter of the JVM's maximum memory). */
    public static final long CACHE_BYTES = 256L << 20;

    private SessionArrays() {
    }

    /**
     * Closes what the sessions of {@code sd} hold, except the buffers of {@code keep}, and their array caches, which
     * start again empty and bounded; the calling thread gets such a session if it had none.
     */
    public static void release(SameDiff sd, Collection<INDArray> keep) {
        Set<Long> kept = new HashSet<>();
        keep.forEach(a -> kept.add(address(a)));
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE || v.getVariableType() == VariableType.CONSTANT) {
                INDArray a = v.getArr();
                if (a != null) {
                    kept.add(address(a));
                }
            }
        }
        sd.getSessions().computeIfAbsent(Thread.currentThread().getId(), id -> new InferenceSession(sd));
        for (InferenceSession session : sd.getSessions().values()) {
            for (var entry : session.getNodeValueOutputs().entrySet()) {
                SDVariable v = sd.getVariable(entry.getKey().getVariable());
                INDArray a = tensor(entry.getValue());
                if (a != null && !a.wasClosed() && (v == null || v.getVariableType() != VariableType.ARRAY)) {
                    kept.add(address(a));
                }
            }
        }
        for (InferenceSession session : sd.getSessions().values()) {
            session.getMmgr().close();   // the released arrays it kept for reuse: nothing refers to them any more
            session.setMmgr(new BoundedArrayCache(CACHE_BYTES));   // new: a closed cache still lists its closed arrays
            Iterator<SDValue> values = session.getNodeValueOutputs().values().iterator();
            while (values.hasNext()) {
                INDArray a = tensor(values.next());
                if (a != null && (a.wasClosed() || !a.isView() && a.closeable() && !kept.contains(address(a)))) {
                    if (!a.wasClosed()) {
                        a.close();
                    }
                    values.remove();
                }
            }
        }
    }

    private static INDArray tensor(SDValue value) {
        return value == null ? null : value.getTensorValue();
    }

    /** The address of the memory under {@code a}, the same for every array sharing that memory. */
    private static long address(INDArray a) {
        DataBuffer data = a.data();
        DataBuffer root = data.originalDataBuffer() != null ? data.originalDataBuffer() : data;
        return root.platformAddress();
    }
}
