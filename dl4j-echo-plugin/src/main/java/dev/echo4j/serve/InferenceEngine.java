package dev.echo4j.serve;

import dev.echo4j.model.Checkpoint;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.sampling.SamplingResult;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.tokenizer.Tokenizer;
import dev.echo4j.train.TrainingCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained policy ready for inference from any number of threads. A SameDiff graph is not thread-safe, so
 * one worker thread owns the model: callers put requests on a bounded queue and get a
 * {@link CompletableFuture}; the worker takes whatever generation requests are waiting (up to
 * {@link EngineSettings#maxBatchSize()}) and decodes them as one left-padded batch with the KV cache.
 *
 * <p>Batching pays on every request mix, because each sequence keeps its own sampling settings
 * (temperature, top-p, seed, length, stop tokens) and draws from its own seed's random stream: a request
 * gets the same tokens whether it ran alone or in a batch. A batch runs to its longest member; requests
 * that arrive meanwhile wait for the next one (static batching). Cancelling a request's future ends its
 * sequence at the next token. The weights are taken as frozen ({@link KvCacheDecoder#forFrozenWeights}): a
 * model trained further needs a new engine.
 */
public final class InferenceEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceEngine.class);

    private final Qwen3Model model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final KvCacheDecoder decoder;
    private final EngineSettings settings;
    private final BlockingQueue<Job> queue;
    private final Thread worker;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchedRequests = new AtomicLong();
    private volatile boolean open = true;

    public InferenceEngine(Qwen3Model model, Tokenizer tokenizer, EngineSettings settings) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = new ChatTemplate(tokenizer);
        this.decoder = KvCacheDecoder.forFrozenWeights(model);
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.worker = new Thread(this::work, "echo4j-inference");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Loads a model checkpoint or a training run's checkpoint (its {@code policy} folder). */
    public static InferenceEngine load(Path checkpoint, EngineSettings settings) {
        Checkpoint.Loaded loaded = Checkpoint.load(TrainingCheckpoints.policyDir(checkpoint));
        return new InferenceEngine(loaded.model(), loaded.tokenizer(), settings);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    /** The longest prompt plus continuation the model takes, in tokens. */
    public int contextLength() {
        return model.config().maxPositionEmbeddings();
    }

    /** The ids that end a turn: {@code <|im_end|>} and {@code <|endoftext|>}. */
    public List<Integer> stopTokenIds() {
        return List.of(template.endOfTurnId(), tokenizer.specialId(Tokenizer.END_OF_TEXT));
    }

    /**
     * Queues a generation. Throws {@link PromptTooLongException} when it cannot fit the context and
     * {@link EngineBusyException} when the queue is full; the future fails if decoding fails.
     */
    public CompletableFuture<Completion> submit(GenerationRequest request) {
        int need = request.prompt().length + request.sampling().maxNewTokens();
        if (need > contextLength()) {
            throw new PromptTooLongException(request.prompt().length, request.sampling().maxNewTokens(), contextLength());
        }
        GenerationJob job = new GenerationJob(request, new TextAssembler(tokenizer, request.stopStrings()));
        enqueue(job);
        return job.future;
    }

    /**
     * The log-probability of each token of {@code continuation} after {@code context}, from one forward
     * pass: how well the model predicts a text it did not write (the world model's cross-entropy).
     */
    public CompletableFuture<float[]> score(int[] context, int[] continuation) {
        if (context.length == 0 || continuation.length == 0) {
            throw new IllegalArgumentException("scoring needs a non-empty context and continuation, got " + context.length + " and "
                    + continuation.length + " tokens");
        }
        if (context.length + continuation.length > contextLength()) {
            throw new PromptTooLongException(context.length, continuation.length, contextLength());
        }
        ScoreJob job = new ScoreJob(context, continuation);
        enqueue(job);
        return job.future;
    }

    /** Batches run so far and the requests they held: their ratio is the mean batch size. */
    public long batches() {
        return batches.get();
    }

    public long batchedRequests() {
        return batchedRequests.get();
    }

    private void enqueue(Job job) {
        if (!open) {
            throw new IllegalStateException("the inference engine is closed");
        }
        if (!queue.offer(job)) {
            throw new EngineBusyException(settings.queueCapacity());
        }
    }

    private void work() {
        while (open) {
            Job first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            if (first instanceof ScoreJob score) {
                score.run();
                continue;
            }
            List<GenerationJob> batch = new ArrayList<>();
            batch.add((GenerationJob) first);
            while (batch.size() < settings.maxBatchSize() && queue.peek() instanceof GenerationJob) {
                batch.add((GenerationJob) queue.poll());   // this thread is the only consumer: peek then poll is safe
            }
            batch.removeIf(j -> j.future.isDone());   // cancelled while waiting
            if (!batch.isEmpty()) {
                generate(batch);
            }
        }
        List<Job> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(j -> j.future().completeExceptionally(new IllegalStateException("the inference engine was closed")));
    }

    private void generate(List<GenerationJob> batch) {
        batches.incrementAndGet();
        batchedRequests.addAndGet(batch.size());
        try {
            int[][] prompts = batch.stream().map(j -> j.request.prompt()).toArray(int[][]::new);
            List<SamplingConfig> configs = batch.stream().map(j -> j.request.sampling()).toList();
            SamplingResult result = decoder.generate(prompts, configs, (sequence, token, logProb) -> batch.get(sequence).accept(token));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).complete(result.sequences().get(i));
            }
        } catch (RuntimeException e) {
            LOG.error("generation failed for a batch of {}", batch.size(), e);
            batch.forEach(j -> j.future.completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        open = false;
        worker.interrupt();
        try {
            worker.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private sealed interface Job permits GenerationJob, ScoreJob {
        CompletableFuture<?> future();
    }

    private final class GenerationJob implements Job {
        final GenerationRequest request;
        final TextAssembler text;
        final CompletableFuture<Completion> future = new CompletableFuture<>();

        GenerationJob(GenerationRequest request, TextAssembler text) {
            this.request = request;
            this.text = text;
        }

        @Override
        public CompletableFuture<?> future() {
            return future;
        }

        /** Takes one new token; false ends this sequence (cancelled, or a stop string seen). */
        boolean accept(int token) {
            if (future.isDone()) {
                return false;
            }
            if (!request.sampling().isStop(token)) {
                emit(text.add(token));
            }
            return !text.stopStringSeen() && !future.isDone();
        }

        void complete(SamplingResult.Sequence sequence) {
            if (future.isDone()) {
                return;
            }
            emit(text.finish());
            FinishReason reason = sequence.stopped() || text.stopStringSeen() ? FinishReason.STOP : FinishReason.LENGTH;
            future.complete(new Completion(text.text(), sequence.tokens(), request.prompt().length, reason));
        }

        private void emit(String delta) {
            if (delta.isEmpty()) {
                return;
            }
            try {
                request.onText().accept(delta);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);   // the consumer is gone: end this sequence, keep the batch
            }
        }
    }

    private final class ScoreJob implements Job {
        final int[] context;
        final int[] continuation;
        final CompletableFuture<float[]> future = new CompletableFuture<>();

        ScoreJob(int[] context, int[] continuation) {
            this.context = context;
            this.continuation = continuation;
        }

        @Override
        public CompletableFuture<?> future() {
            return future;
        }

        void run() {
            try {
                future.complete(logProbs());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }

        private float[] logProbs() {
            int[] ids = Arrays.copyOf(context, context.length + continuation.length);
            System.arraycopy(continuation, 0, ids, context.length, continuation.length);
            int[] mask = new int[ids.length];
            Arrays.fill(mask, 1);
            INDArray logits = model.forward(new int[][] {ids}, new int[][] {mask});   // [1, T, V]
            // the logits at position t predict token t + 1: rows context-1 .. T-2 predict the continuation
            float[][] rows = logits.get(NDArrayIndex.point(0), NDArrayIndex.interval(context.length - 1, ids.length - 1), NDArrayIndex.all())
                    .castTo(DataType.FLOAT).reshape(continuation.length, logits.size(2)).toFloatMatrix();
            float[] out = new float[continuation.length];
            for (int i = 0; i < continuation.length; i++) {
                out[i] = (float) (rows[i][continuation[i]] - logSumExp(rows[i]));
            }
            return out;
        }
    }

    private static double logSumExp(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : row) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : row) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }
}
