package dev.echo4j.cli;

import dev.echo4j.env.EpisodeLimits;
import dev.echo4j.env.ReferenceAgent;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.objective.GroupAdvantages;
import dev.echo4j.samediff.OffHeapMemory;
import dev.echo4j.rollout.Rollout;
import dev.echo4j.rollout.RolloutCollector;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.task.Folders;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.tokenizer.HfTokenizer;
import dev.echo4j.train.OptimizerConfig;
import dev.echo4j.train.PolicyOptimizer;
import dev.echo4j.train.TrainingBatch;
import dev.echo4j.transcript.RenderedTranscript;
import dev.echo4j.transcript.TokenRole;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptRenderer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A Qwen3-shaped policy end to end on the CPU: Qwen3's real tokenizer, the model with random weights, one
 * rollout turn of a group in the sandbox, the task's reference solution replayed in the sandbox, and one ECHO
 * update on them all, each phase timed (wall and CPU) with the peak memory after it. A random policy's turns leave no terminal
 * output, so the expert episode is what gives the env term real terminal-output tokens to score at the full
 * vocabulary; it joins the batch with advantage 0 (its commands are not the policy's samples, so the policy
 * term ignores them and only the env term learns from it). The full Qwen3-0.6B shape needs about 20 bytes a parameter (weights, the decoder's copy of them,
 * gradients, AdamW's two moments): 12 GB; {@code --layers} keeps the vocabulary and width and cuts the depth.
 */
@Command(name = "e2e", description = {"Qwen3-shaped end to end on the CPU: real Qwen3 tokenizer, random weights, one rollout turn "
        + "in the sandbox, one ECHO update; wall and CPU time and peak memory of each phase.",
        "The update also scores the task's reference solution, replayed in the sandbox, so that the env term runs over real "
                + "terminal output.",
        "Example: ./echo4j bench e2e --layers 2   (the full qwen3-0.6b shape needs about 12 GB)"})
final class BenchEndToEndCommand implements Callable<Integer> {

    @Mixin
    SandboxOptions sandbox;

    @Option(names = "--model", defaultValue = "qwen3-0.6b", description = "Zoo model or config file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--layers", description = "Decoder layers, fewer than the model's to fit in memory (default: the model's).")
    Integer layers;

    @Option(names = "--group", defaultValue = "2", description = "Rollouts of the one task (default: ${DEFAULT-VALUE}).")
    int group;

    @Option(names = "--new-tokens", defaultValue = "16", description = "Tokens sampled in the turn (default: ${DEFAULT-VALUE}).")
    int newTokens;

    @Option(names = "--engine", description = "KV-cache decoding step: ${COMPLETION-CANDIDATES} (default: the trainer's, JAVA for float32 on the CPU; "
            + "JAVA copies the weights into the Java heap, GRAPH does not).")
    KvCacheDecoder.Engine engine;

    @Override
    public Integer call() throws IOException {
        if (group < 2 || newTokens < 1 || (layers != null && layers < 1)) {
            System.err.println("echo4j: --group must be at least 2, --new-tokens and --layers at least 1");
            return 2;
        }
        ModelConfig base = ModelConfig.load(model);
        ModelConfig shape = layers == null ? base : new ModelConfig(base.vocabSize(), base.hiddenSize(), base.intermediateSize(), layers,
                base.numAttentionHeads(), base.numKeyValueHeads(), base.headDim(), base.rmsNormEps(), base.ropeTheta(),
                base.tieWordEmbeddings(), base.maxPositionEmbeddings(), base.torchDtype());
        System.out.printf("# echo4j bench e2e: %s, %d layers, %,d parameters, %d cores, OMP_NUM_THREADS=%s, max heap %d MiB%n", model,
                shape.numHiddenLayers(), shape.parameterCount(), Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().maxMemory() >> 20);
        Path root = Files.createTempDirectory("echo4j-bench-e2e-", SandboxOptions.SEARCHABLE);
        try (HfTokenizer tokenizer = phase("Qwen3 tokenizer loaded", HfTokenizer::qwen3)) {
            if (tokenizer.vocabSize() > shape.vocabSize()) {
                System.err.println("echo4j: " + model + " has vocab_size " + shape.vocabSize() + ", fewer than Qwen3's " + tokenizer.vocabSize() + " tokens");
                return 2;
            }
            Qwen3Model policy = phase("model created (random weights)", () -> Qwen3Model.create(shape, 1));
            ChatTemplate template = new ChatTemplate(tokenizer);
            RolloutSettings settings = new RolloutSettings(1, newTokens, 30, 60, 1024, 8192, group, group);
            KvCacheDecoder decoder = engine == null ? new KvCacheDecoder(policy) : new KvCacheDecoder(policy, engine);
            System.out.printf("  decoding step: %s%n", decoder.engine());
            List<Rollout> rollouts;
            List<Task> tasks = TaskSets.prepare(root, Split.TRAIN, 1, 1);
            try (RolloutCollector collector = new RolloutCollector(decoder, template, sandbox.config(), settings)) {
                rollouts = phase("rollout: one turn of " + group + " episodes in the sandbox",
                        () -> collector.collect(tasks, group, SamplingConfig.sample(1, newTokens, List.of(template.endOfTurnId()))));
            }
            int tokens = rollouts.stream().mapToInt(Rollout::length).sum();
            System.out.printf("  %d rollouts, %d tokens, %d sampled, %d terminal-output tokens%n", rollouts.size(), tokens,
                    rollouts.stream().mapToInt(Rollout::generated).sum(), rollouts.stream().mapToLong(r -> envTokens(r.roles())).sum());
            Task task = tasks.get(0);
            Transcript expertEpisode = phase("expert: the task's reference solution in the sandbox", () -> ReferenceAgent.play(task, sandbox.config(),
                    new EpisodeLimits(ReferenceAgent.turns(task).size(), Duration.ofSeconds(30), Duration.ofSeconds(60))));
            RenderedTranscript expert = new TranscriptRenderer(template).render(expertEpisode);
            System.out.printf("  %d commands, reward %.1f, %d tokens, %d terminal-output tokens%n", expertEpisode.turns(), expertEpisode.reward(),
                    expert.length(), envTokens(expert.roles()));

            List<int[]> ids = new ArrayList<>(rollouts.stream().map(Rollout::ids).toList());
            List<int[]> roles = new ArrayList<>(rollouts.stream().map(Rollout::roles).toList());
            List<float[]> logProbs = new ArrayList<>(rollouts.stream().map(Rollout::logProbs).toList());
            ids.add(expert.ids());
            roles.add(expert.roles());
            logProbs.add(new float[expert.length()]);
            double[] advantages = Arrays.copyOf(GroupAdvantages.ofFlat(rollouts.stream().mapToDouble(Rollout::score).toArray(),
                    group, GroupAdvantages.Scale.GROUP), group + 1);                     // the expert's advantage: 0
            long envTokens = roles.stream().mapToLong(BenchEndToEndCommand::envTokens).sum();
            PolicyOptimizer optimizer = phase("optimizer ready (ECHO objective attached)",
                    () -> new PolicyOptimizer(policy, EchoConfig.DEFAULTS, OptimizerConfig.DEFAULTS));
            Map<String, Double> metrics = phase("one ECHO update on " + (tokens + expert.length()) + " tokens",
                    () -> optimizer.update(TrainingBatch.of(ids, roles, logProbs, advantages)));
            System.out.printf("  loss %.4f, env_loss %.4f, env_ce %.4f nats per terminal-output token over %d of them%s%n", metrics.get("loss"),
                    metrics.get("env_loss"), metrics.get("env_ce"), envTokens, envTokens > 0
                            ? String.format(" (about ln %d = %.2f for random weights)", shape.vocabSize(), Math.log(shape.vocabSize()))
                            : " (no terminal output in the batch, so the env term had nothing to score)");
            System.out.printf("peak RSS of the run: %d MiB%n", PeakRss.mib());
            return 0;
        } catch (SandboxUnavailableException e) {
            return SandboxOptions.unavailable(e);
        } finally {
            Folders.deleteTree(root);
        }
    }

    /** The CPU time of the whole process, every thread: on a shared machine a steadier figure than the wall time. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static long envTokens(int[] roles) {
        return Arrays.stream(roles).filter(role -> role == TokenRole.ENV.id()).count();
    }

    /**
     * Runs one phase and prints its time and the peak memory so far; then frees what the phase left unreachable
     * (the decoder's copy of the weights, the model's initial values), as a long run's collector would.
     */
    private static <T> T phase(String what, Supplier<T> action) {
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        T result = action.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        System.out.printf("%-58s %8.2f s (CPU %7.2f s)   peak RSS so far %6d MiB%n", what, seconds, cpu, PeakRss.mib());
        OffHeapMemory.release();
        return result;
    }
}
