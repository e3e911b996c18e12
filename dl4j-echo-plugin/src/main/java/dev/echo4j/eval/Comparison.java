package dev.echo4j.eval;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.model.Checkpoint;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.LearningCurves;
import dev.echo4j.train.Mode;
import dev.echo4j.train.MetricsLog;
import dev.echo4j.train.PolicyOptimizer;
import dev.echo4j.train.RunDirectory;
import dev.echo4j.train.TrainConfig;
import dev.echo4j.train.TrainingCheckpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * GRPO against ECHO, honestly: every arm starts from the same base checkpoint and, seed for seed, sees the
 * same tasks in the same order with the same sampling seeds and the same rollout budget; each is then
 * evaluated on the same held-out tasks and transcripts. Reports mean and standard deviation over seeds.
 */
public final class Comparison {

    /** One arm's runs and their evaluations, in seed order. */
    public record Arm(Mode mode, List<Long> seeds, List<EvalResult> results, List<Path> runs) {
    }

    private final TrainConfig config;
    private final Path out;
    private final Path tasksRoot;
    private final SandboxConfig sandbox;

    public Comparison(TrainConfig config, Path out, Path tasksRoot, SandboxConfig sandbox) {
        if (config.baseCheckpoint() == null) {
            throw new IllegalArgumentException("base_checkpoint: a comparison needs one base checkpoint shared by every arm");
        }
        this.config = config;
        this.out = out;
        this.tasksRoot = tasksRoot;
        this.sandbox = sandbox;
    }

    /**
     * Trains and evaluates every (arm, seed); {@code train} runs each prepared trainer (the CLI adds its
     * progress bar), and an interrupted comparison resumes its runs. Returns the base model's evaluation
     * first (under "base") and then one entry per arm.
     */
    public Map<String, Arm> run(List<Mode> arms, List<Long> seeds, HeldoutSuite heldout, BiConsumer<String, EchoTrainer> train) {
        Map<String, Arm> results = new LinkedHashMap<>();
        results.put("base", new Arm(null, List.of(), List.of(evaluateBase(heldout)), List.of()));
        for (Mode mode : arms) {
            List<EvalResult> evals = new ArrayList<>();
            List<Path> runs = new ArrayList<>();
            for (long seed : seeds) {
                TrainConfig cfg = withModeAndSeed(config, mode, seed);
                RunDirectory run = new RunDirectory(out.resolve(mode.id() + "-seed" + seed), tasksRoot);
                try (EchoTrainer trainer = new EchoTrainer(cfg, run, sandbox, true)) {
                    train.accept(mode.id() + " seed " + seed, trainer);
                    Evaluator evaluator = new Evaluator(trainer.optimizer(), new ChatTemplate(trainer.tokenizer()), sandbox, cfg.rollout());
                    evals.add(evaluator.evaluate(heldout.tasks(), heldout.transcripts(), cfg.eval()));
                }
                runs.add(run.dir());
            }
            results.put(mode.id(), new Arm(mode, seeds, evals, runs));
        }
        return results;
    }

    private EvalResult evaluateBase(HeldoutSuite heldout) {
        Checkpoint.Loaded base = Checkpoint.load(TrainingCheckpoints.policyDir(Path.of(config.baseCheckpoint())));
        PolicyOptimizer policy = new PolicyOptimizer(base.model(), EchoConfig.DEFAULTS, config.optimizer());
        return new Evaluator(policy, new ChatTemplate(base.tokenizer()), sandbox, config.rollout())
                .evaluate(heldout.tasks(), heldout.transcripts(), config.eval());
    }

    private static TrainConfig withModeAndSeed(TrainConfig c, Mode mode, long seed) {
        return new TrainConfig(mode, c.model(), c.baseCheckpoint(), seed, c.steps(), c.promptsPerStep(), c.groupSize(),
                c.updatesPerStep(), c.checkpointEvery(), c.advantageScale(), c.objective(), c.optimizer(), c.sampling(),
                c.rollout(), c.tasks(), c.eval());
    }

    /** The results as a Markdown table (also written to {@code results.md} and {@code results.csv}). */
    public String report(Map<String, Arm> results) {
        StringBuilder md = new StringBuilder("| arm | runs | held-out pass@1 | held-out pass@k | env CE (nats/token) | train reward, last 5 steps |\n")
                .append("|---|---|---|---|---|---|\n");
        StringBuilder csv = new StringBuilder("arm,seed,pass1,passk,env_ce,train_reward_last5\n");
        results.forEach((name, arm) -> {
            List<Double> lastRewards = arm.runs().stream().map(Comparison::lastRewards).toList();
            md.append("| ").append(name).append(" | ").append(arm.results().size()).append(" | ")
                    .append(meanStd(arm.results().stream().map(EvalResult::pass1).toList())).append(" | ")
                    .append(meanStd(arm.results().stream().map(EvalResult::passK).toList())).append(" | ")
                    .append(meanStd(arm.results().stream().map(EvalResult::envCrossEntropy).toList())).append(" | ")
                    .append(lastRewards.isEmpty() ? "-" : meanStd(lastRewards)).append(" |\n");
            for (int i = 0; i < arm.results().size(); i++) {
                EvalResult r = arm.results().get(i);
                csv.append(name).append(',').append(arm.seeds().isEmpty() ? "" : arm.seeds().get(i)).append(',').append(r.pass1()).append(',')
                        .append(r.passK()).append(',').append(r.envCrossEntropy()).append(',')
                        .append(lastRewards.isEmpty() ? "" : lastRewards.get(i)).append('\n');
            }
        });
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("results.csv"), csv.toString(), StandardCharsets.UTF_8);
            Map<String, List<Map<String, Object>>> curves = new LinkedHashMap<>();
            for (Arm arm : results.values()) {
                for (int i = 0; i < arm.runs().size(); i++) {
                    curves.put(arm.mode().id() + " s" + arm.seeds().get(i), MetricsLog.read(arm.runs().get(i).resolve("metrics.jsonl")));
                }
            }
            LearningCurves.write(out.resolve("compare.png"), "GRPO vs ECHO", curves,
                    List.of("reward_mean", "env_ce", "policy_loss", "entropy", "clip_frac", "tokens_generated"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write comparison results to " + out, e);
        }
        return md.toString();
    }

    private static double lastRewards(Path run) {
        try {
            List<Map<String, Object>> rows = MetricsLog.read(run.resolve("metrics.jsonl"));
            return rows.subList(Math.max(0, rows.size() - 5), rows.size()).stream()
                    .mapToDouble(r -> ((Number) r.get("reward_mean")).doubleValue()).average().orElse(Double.NaN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String meanStd(List<Double> values) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (values.size() < 2) {
            return String.format("%.4f", mean);
        }
        double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (values.size() - 1);
        return String.format("%.4f ± %.4f", mean, Math.sqrt(var));
    }
}
