package dev.echo4j.serve;

/**
 * How the {@link InferenceEngine} schedules work.
 *
 * @param maxBatchSize   requests decoded together in one batch; more waiting requests go in the next batch
 * @param queueCapacity  requests that may wait; beyond it {@link InferenceEngine#submit} refuses with
 *                       {@link EngineBusyException} (an HTTP 503), so memory and latency stay bounded
 */
public record EngineSettings(int maxBatchSize, int queueCapacity) {

    public static final EngineSettings DEFAULTS = new EngineSettings(32, 256);

    public EngineSettings {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, got " + maxBatchSize);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        }
    }
}
