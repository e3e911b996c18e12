package dev.echo4j.samediff;

import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;

/**
 * ND4J's off-heap buffers are released only when the Java garbage collector finalises their owners, and the
 * small Java objects give it no reason to run: without help the process grows by gigabytes in a few dozen
 * training steps (see the field notes). {@link #step()} collects once the resident set has grown by a budget
 * since the last collection: after every step of a model whose step leaves more garbage than that, every few
 * steps for a small one (a collection costs 20-50 ms, a twentieth of a {@code tiny} training step).
 */
public final class OffHeapMemory {

    /** Growth of the resident set that triggers a collection by default. */
    public static final long DEFAULT_BUDGET_BYTES = 1L << 30;

    private final long budgetBytes;
    private final LongSupplier residentBytes;
    private final Runnable collector;
    private long baseline = -1;
    private long collections;

    public OffHeapMemory() {
        this(DEFAULT_BUDGET_BYTES);
    }

    public OffHeapMemory(long budgetBytes) {
        this(budgetBytes, Pointer::physicalBytes, OffHeapMemory::release);
    }

    OffHeapMemory(long budgetBytes, LongSupplier residentBytes, Runnable collector) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("budgetBytes must be > 0, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.residentBytes = residentBytes;
        this.collector = collector;
    }

    /** Call once per training or sampling step; collects when the resident set outgrew the budget. */
    public void step() {
        long resident = residentBytes.getAsLong();
        if (baseline < 0) {
            baseline = resident;
        } else if (resident - baseline > budgetBytes) {
            collector.run();
            collections++;
            baseline = residentBytes.getAsLong();
        }
    }

    /** How many times {@link #step()} collected. */
    public long collections() {
        return collections;
    }

    /** Runs the collector now, which frees the off-heap memory of unreachable arrays. */
    public static void release() {
        System.gc();
    }
}
