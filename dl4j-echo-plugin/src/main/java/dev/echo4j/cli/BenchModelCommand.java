package dev.echo4j.cli;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.samediff.OffHeapMemory;
import dev.echo4j.sampling.FullForwardSampler;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.Sampler;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.train.CrossEntropyTrainer;
import dev.echo4j.train.OptimizerConfig;
import dev.echo4j.train.PolicyOptimizer;
import dev.echo4j.train.TrainingBatch;
import dev.echo4j.transcript.TokenRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training and sampling throughput of the policy model. Compare with
 * {@code dl4j-echo-plugin/src/main/python/bench_model.py}, which times the same models in PyTorch.
 */
@Command(name = "model", description = "Training tokens/s (forward+backward+AdamW, the trainer's route), sampling tokens/s with and without the KV cache, peak RSS.")
final class BenchModelCommand implements Callable<Integer> {

    @Option(names = "--models", split = ",", defaultValue = "tiny,small", description = "Zoo model configs (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--batch", defaultValue = "16", description = "Batch size for training and sampling (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", defaultValue = "256", description = "Training sequence length (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--new-tokens", defaultValue = "256", description = "Tokens generated per sequence (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--prompt", defaultValue = "16", description = "Prompt length for sampling (default: ${DEFAULT-VALUE}).")
    int prompt;

    @Option(names = "--steps", defaultValue = "10", description = "Timed training steps after warm-up; the figure is their total tokens over their total time, periodic collections included (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up training steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--sample-rounds", defaultValue = "3", description = "Timed generations with the KV cache; the figure is their total tokens over their total time (default: ${DEFAULT-VALUE}; one without the cache).")
    int sampleRounds;

    @Option(names = "--skip-no-cache", description = "Skip sampling without the KV cache (slow: quadratic).")
    boolean skipNoCache;

    @Option(names = "--engine", description = "KV-cache decoding step: ${COMPLETION-CANDIDATES} (default: JAVA for float32 on the CPU, else GRAPH).")
    KvCacheDecoder.Engine engine;

    @Override
    public Integer call() {
        System.out.printf("# echo4j bench model: %d cores, OMP_NUM_THREADS=%s, ND4J BLAS %s, %s, LD_PRELOAD=%s%n",
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                Nd4j.factory().blas().getBlasVendor(), System.getProperty("org.bytedeco.javacpp.platform.extension", "default natives"),
                System.getenv().getOrDefault("LD_PRELOAD", ""));
        System.out.println("# kernels: " + CpuKernels.describe());
        System.out.println("model\tparams\ttrain_tok_s\tsample_kv_tok_s\tsample_nocache_tok_s\tkv_speedup\tpeak_rss_mib");
        for (String name : models) {
            ModelConfig config = ModelConfig.zoo(name);
            PeakRss.reset();
            double train = train(config);
            double cached = sample(config, true);
            double full = skipNoCache ? Double.NaN : sample(config, false);
            System.out.printf("%s\t%.2fM\t%.0f\t%.0f\t%.0f\t%.1f\t%d%n", name, config.parameterCount() / 1e6, train, cached, full,
                    cached / full, PeakRss.mib());
        }
        return 0;
    }

    /**
     * The route {@code pretrain} and {@code sft} train with: next-token cross-entropy of every token through the
     * objective, the model's hand-derived backward pass and AdamW with gradient clipping.
     */
    private double train(ModelConfig config) {
        PolicyOptimizer optimizer = new PolicyOptimizer(Qwen3Model.create(config, 1), CrossEntropyTrainer.CROSS_ENTROPY, OptimizerConfig.DEFAULTS);
        Random random = new Random(2);
        List<int[]> sequences = new ArrayList<>();
        List<int[]> roles = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            sequences.add(random.ints(seq + 1, 0, 259).toArray());
            int[] role = new int[seq + 1];
            Arrays.fill(role, TokenRole.ENV.id());
            roles.add(role);
        }
        TrainingBatch data = TrainingBatch.of(sequences, roles, sequences.stream().map(s -> new float[s.length]).toList(), new double[batch]);
        OffHeapMemory memory = new OffHeapMemory();
        double seconds = 0;
        for (int i = -warmup; i < steps; i++) {
            long start = System.nanoTime();
            optimizer.update(data);
            memory.step();
            double step = (System.nanoTime() - start) / 1e9;
            seconds += i >= 0 ? step : 0;
            System.err.printf("  %s train step %d: %.2f s%n", config.hiddenSize() + "d", i, step);
        }
        return batch * (double) seq * steps / seconds;
    }

    private double sample(ModelConfig config, boolean cached) {
        Qwen3Model model = Qwen3Model.create(config, 1);
        Sampler sampler = !cached ? new FullForwardSampler(model)
                : engine == null ? new KvCacheDecoder(model) : new KvCacheDecoder(model, engine);
        Random random = new Random(3);
        int[][] prompts = new int[batch][prompt];
        for (int[] row : prompts) {
            Arrays.setAll(row, i -> random.nextInt(256));
        }
        sampler.generate(prompts, SamplingConfig.sample(1, 16, List.of()));   // warm-up
        OffHeapMemory.release();
        int rounds = cached ? sampleRounds : 1;
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            sampler.generate(prompts, SamplingConfig.sample(2 + round, newTokens, List.of()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String how = sampler instanceof KvCacheDecoder decoder ? "with the KV cache, " + decoder.engine() + " decoding step" : "without cache";
        System.err.printf("  sampling %s: %d x %.1f s%n", how, rounds, seconds / rounds);
        OffHeapMemory.release();
        return batch * (double) newTokens * rounds / seconds;
    }
}
