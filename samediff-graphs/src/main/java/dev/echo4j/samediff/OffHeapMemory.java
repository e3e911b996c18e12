package dev.echo4j.samediff;

/**
 * ND4J's off-heap buffers are released only when the Java garbage collector finalises their owners, and the
 * small Java objects give it no reason to run: without help the process grows by gigabytes in a few dozen
 * training steps (see the field notes). Call {@link #step()} once per training or sampling step.
 */
public final class OffHeapMemory {

    private final int every;
    private long steps;

    /** Collects every {@code every} steps (1 = after every step, what the probe found cheap enough). */
    public OffHeapMemory(int every) {
        if (every <= 0) {
            throw new IllegalArgumentException("every must be > 0, got " + every);
        }
        this.every = every;
    }

    public void step() {
        if (++steps % every == 0) {
            release();
        }
    }

    /** Runs the collector now, which frees the off-heap memory of unreachable arrays. */
    public static void release() {
        System.gc();
    }
}
