package dev.echo4j.cli;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.samediff.OffHeapMemory;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.Sampler;
import dev.echo4j.sampling.SamplingConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * KV-cache decoding speed of each decoding engine at each model size, with random weights: where the plain-Java
 * step ({@code CpuDecodingStep}) stops beating the SameDiff step. A step's time is taken as the difference
 * between generating N tokens and generating one (the prompt pass and the first token), over N - 1.
 */
@Command(name = "decode", description = {"KV-cache decoding tokens/s of the JAVA and GRAPH decoding steps at each model size (random weights), "
        + "with the time the JAVA step takes to copy the weights (once per policy version).",
        "Example: ./echo4j bench decode --models tiny,small,qwen3-0.6b --batch 4 --new-tokens 9"})
final class BenchDecodeCommand implements Callable<Integer> {

    @Option(names = "--models", split = ",", defaultValue = "tiny,small,qwen3-0.6b", description = "Zoo model configs (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--engines", split = ",", defaultValue = "JAVA,GRAPH", description = "Decoding steps to time: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    List<KvCacheDecoder.Engine> engines;

    @Option(names = "--batch", defaultValue = "4", description = "Sequences decoded together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--prompt", defaultValue = "32", description = "Prompt tokens per sequence (default: ${DEFAULT-VALUE}).")
    int prompt;

    @Option(names = "--new-tokens", defaultValue = "9", description = "Tokens generated per sequence, at least 2 (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--rounds", defaultValue = "2", description = "Timed rounds per engine after one warm-up; the figure is the fastest (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
        if (batch < 1 || prompt < 1 || newTokens < 2 || rounds < 1) {
            System.err.println("echo4j: --batch, --prompt and --rounds must be at least 1, --new-tokens at least 2");
            return 2;
        }
        System.out.printf("# echo4j bench decode: %d cores, OMP_NUM_THREADS=%s, batch %d, prompt %d, %d new tokens, fastest of %d rounds%n",
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"), batch, prompt, newTokens, rounds);
        System.out.println("# kernels: " + CpuKernels.describe());
        System.out.println("model\tparams\tengine\tweight_copy_s\tprompt_pass_s\tstep_ms\tdecode_tok_s\tpeak_rss_mib");
        for (String name : models) {
            ModelConfig config = ModelConfig.load(name);
            Qwen3Model model = Qwen3Model.create(config, 1);
            int[][] prompts = prompts(config.vocabSize());
            for (KvCacheDecoder.Engine engine : engines) {
                long t0 = System.nanoTime();
                Sampler decoder = new KvCacheDecoder(model, engine).pinned();      // the JAVA step's copy of the weights
                double copy = (System.nanoTime() - t0) / 1e9;
                decoder.generate(prompts, SamplingConfig.sample(1, 2, List.of()));   // warm-up
                double first = Double.POSITIVE_INFINITY;
                double all = Double.POSITIVE_INFINITY;
                for (int round = 0; round < rounds; round++) {
                    first = Math.min(first, seconds(decoder, prompts, 1, round));
                    all = Math.min(all, seconds(decoder, prompts, newTokens, round));
                }
                double step = Math.max(all - first, 0) / (newTokens - 1);
                System.out.printf("%s\t%.1fM\t%s\t%.2f\t%.2f\t%.1f\t%.1f\t%d%n", name, config.parameterCount() / 1e6, engine, copy, first,
                        step * 1e3, batch / step, PeakRss.mib());
                OffHeapMemory.release();
            }
        }
        return 0;
    }

    private int[][] prompts(int vocab) {
        Random random = new Random(3);
        int[][] prompts = new int[batch][prompt];
        for (int[] row : prompts) {
            Arrays.setAll(row, i -> random.nextInt(Math.min(vocab, 256)));
        }
        return prompts;
    }

    private static double seconds(Sampler decoder, int[][] prompts, int tokens, int round) {
        long start = System.nanoTime();
        decoder.generate(prompts, SamplingConfig.sample(2 + round, tokens, List.of()));
        return (System.nanoTime() - start) / 1e9;
    }
}
