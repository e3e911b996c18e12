package dev.echo4j.eval;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.model.Checkpoint;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.LearningCurves;
import dev.echo4j.train.Mode;
import dev.echo4j.train.MetricsLog;
import dev.echo4j.train.PolicyOptimizer;
import dev.echo4j.train.RunDirectory;
import dev.echo4j.train.TrainConfig;
import dev.echo4j.train.TrainingCheckpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * GRPO against ECHO, honestly: every arm starts from the same base checkpoint and, seed for seed, sees the
 * same tasks in the same order with the same sampling seeds and the same rollout budget; each is then
 * evaluated on the same held-out tasks and transcripts. Reports mean and standard deviation over seeds.
 */
public final class Comparison {

    /** One arm's runs and their evaluations, in seed order. */
    public record Arm(Mode mode, List<Long> seeds, List<EvalResult> results, List<Path> runs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainConfig config;
    private final Path out;
    private final Path tasksRoot;
    private final SandboxConfig sandbox;
    private final RolloutEngine.Factory engines;

    public Comparison(TrainConfig config, Path out, Path tasksRoot, SandboxConfig sandbox) {
        this(config, out, tasksRoot, sandbox, RolloutEngine.Factory.LOCAL);
    }

    /** As {@link #Comparison(TrainConfig, Path, Path, SandboxConfig)}, every run's and evaluation's episodes played on {@code engines}. */
    public Comparison(TrainConfig config, Path out, Path tasksRoot, SandboxConfig sandbox, RolloutEngine.Factory engines) {
        if (config.baseCheckpoint() == null) {
            throw new IllegalArgumentException("base_checkpoint: a comparison needs one base checkpoint shared by every arm");
        }
        this.config = config;
        this.out = out;
        this.tasksRoot = tasksRoot;
        this.sandbox = sandbox;
        this.engines = engines;
    }

    /** How a comparison's runs are trained: the progress shown and the stop request are the caller's. */
    public interface Training {
        /** Called as a run starts (possibly resumed, with steps already done); returns the listener of its steps. */
        EchoTrainer.StepListener started(String label, long completedSteps);

        /** Polled between steps: true finishes each running step, saves its checkpoint and starts nothing new. */
        boolean stopRequested();
    }

    /**
     * Trains and evaluates every (arm, seed), {@code jobs} runs at a time (each run is one sequential chain of
     * rollouts and updates that keeps about one core busy, so two runs use two cores); every run is the same
     * whatever the number of jobs. An interrupted comparison resumes its runs and reuses the evaluations it
     * finished. Returns the base model's evaluation first (under "base") and then one entry per arm, or nothing
     * when {@link Training#stopRequested()} stopped it.
     */
    public Optional<Map<String, Arm>> run(List<Mode> arms, List<Long> seeds, HeldoutSuite heldout, int jobs, Training training) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs: at least 1, got " + jobs);
        }
        EvalResult base = saved(out.resolve("base-evaluation.json"),
                evaluationKey(config, Path.of(config.baseCheckpoint()).toAbsolutePath().normalize().toString(), heldout),
                () -> evaluateBase(heldout));
        AtomicBoolean failed = new AtomicBoolean();
        BooleanSupplier stop = () -> failed.get() || training.stopRequested();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> new Thread(r, "echo4j-compare"));
        Map<Mode, List<Future<EvalResult>>> futures = new LinkedHashMap<>();
        try {
            for (Mode mode : arms) {
                for (long seed : seeds) {
                    futures.computeIfAbsent(mode, m -> new ArrayList<>()).add(pool.submit(() -> {
                        try {
                            return trainAndEvaluate(mode, seed, heldout, training, stop);
                        } catch (RuntimeException | Error e) {
                            failed.set(true);
                            throw e;
                        }
                    }));
                }
            }
            Map<String, Arm> results = new LinkedHashMap<>();
            results.put("base", new Arm(null, List.of(), List.of(base), List.of()));
            boolean complete = true;
            for (Map.Entry<Mode, List<Future<EvalResult>>> arm : futures.entrySet()) {
                List<EvalResult> evals = new ArrayList<>();
                for (Future<EvalResult> f : arm.getValue()) {
                    EvalResult r = await(f);
                    complete &= r != null;
                    evals.add(r);
                }
                results.put(arm.getKey().id(), new Arm(arm.getKey(), seeds, evals,
                        seeds.stream().map(seed -> runDir(arm.getKey(), seed)).toList()));
            }
            return complete ? Optional.of(results) : Optional.empty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** One run to its last step, then its evaluation; null when stopped before the last step. */
    private EvalResult trainAndEvaluate(Mode mode, long seed, HeldoutSuite heldout, Training training, BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            return null;
        }
        TrainConfig cfg = withModeAndSeed(config, mode, seed);
        RunDirectory run = new RunDirectory(runDir(mode, seed), tasksRoot);
        try (EchoTrainer trainer = new EchoTrainer(cfg, run, sandbox, true, engines);
             PeriodicEvaluation evaluation = new PeriodicEvaluation(trainer, run.dir(), () -> heldout, sandbox, engines)) {
            trainer.train(evaluation.after(training.started(mode.id() + " s" + seed, trainer.completedSteps())), stop);
            if (trainer.completedSteps() < cfg.steps()) {
                return null;
            }
            return saved(run.dir().resolve("evaluation.json"), evaluationKey(cfg, "step " + trainer.completedSteps(), heldout),
                    () -> evaluation.at(trainer.completedSteps()).orElseGet(() ->
                            new Evaluator(trainer.optimizer(), new ChatTemplate(trainer.tokenizer()), sandbox, cfg.rollout(), engines)
                                    .evaluate(heldout.tasks(), heldout.transcripts(), cfg.eval())));
        }
    }

    private Path runDir(Mode mode, long seed) {
        return out.resolve(mode.id() + "-seed" + seed);
    }

    private static EvalResult await(Future<EvalResult> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the comparison's runs", e);
        }
    }

    /**
     * An evaluation kept beside what it evaluated, so that a resumed or merged comparison reuses it; {@code key}
     * names the policy, the held-out tasks and every setting that shapes the result, and a different key
     * evaluates again.
     */
    private static EvalResult saved(Path file, String key, Supplier<EvalResult> evaluate) {
        try {
            if (Files.isRegularFile(file)) {
                JsonNode stored = JSON.readTree(file.toFile());
                if (key.equals(stored.path("key").asText())) {
                    return JSON.treeToValue(stored.get("result"), EvalResult.class);
                }
            }
            EvalResult result = evaluate.get();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), Map.of("key", key, "result", result));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the evaluation in " + file, e);
        }
    }

    private static String evaluationKey(TrainConfig cfg, String policy, HeldoutSuite heldout) {
        return policy + " on " + TaskSets.name(heldout.tasks()) + " " + cfg.eval() + " " + cfg.rollout();
    }

    private EvalResult evaluateBase(HeldoutSuite heldout) {
        Checkpoint.Loaded base = Checkpoint.load(TrainingCheckpoints.policyDir(Path.of(config.baseCheckpoint())));
        PolicyOptimizer policy = new PolicyOptimizer(base.model(), EchoConfig.DEFAULTS, config.optimizer());
        return new Evaluator(policy, new ChatTemplate(base.tokenizer()), sandbox, config.rollout(), engines)
                .evaluate(heldout.tasks(), heldout.transcripts(), config.eval());
    }

    private static TrainConfig withModeAndSeed(TrainConfig c, Mode mode, long seed) {
        return new TrainConfig(mode, c.model(), c.baseCheckpoint(), seed, c.steps(), c.promptsPerStep(), c.groupSize(),
                c.updatesPerStep(), c.checkpointEvery(), c.advantageScale(), c.objective(), c.optimizer(), c.sampling(),
                c.rollout(), c.tasks(), c.eval());
    }

    /**
     * The results as a Markdown table (also written to {@code results.md} and {@code results.csv}). Steps to
     * GRPO's best: per seed, the first step at which a run's training pass rate (moving average over
     * {@link #SMOOTHING} steps; both arms see the same tasks in the same order) reaches the best that GRPO's run of
     * that seed ever reached; and, on the fixed held-out tasks, the first evaluated step ({@code eval.every}, then
     * the last) whose pass@1 reaches the best of GRPO's evaluations after its start.
     */
    public String report(Map<String, Arm> results) {
        StringBuilder md = new StringBuilder("| arm | runs | held-out pass@1 | held-out pass@k | unseen seeds pass@1 | held-out-only pass@1"
                + " | env CE (nats/token) | train reward, last 5 steps | steps to GRPO's best | steps to GRPO's best held-out pass@1"
                + " | train minutes |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        StringBuilder csv = new StringBuilder("arm,seed,pass1,passk,env_ce,train_reward_last5,seen_pass1,seen_passk,heldout_only_pass1,"
                + "heldout_only_passk,steps_to_grpo_best,train_seconds,heldout_steps_to_grpo_best\n");
        Arm grpo = results.values().stream().filter(a -> a.mode() == Mode.GRPO).findFirst().orElse(null);
        double basePass1 = results.get("base").results().get(0).pass1();
        results.forEach((name, arm) -> {
            List<Double> lastRewards = arm.runs().stream().map(run -> lastRewards(curve(run, "reward_mean"))).toList();
            List<Double> toBest = new ArrayList<>();
            List<Double> heldoutToBest = new ArrayList<>();
            List<Double> seconds = arm.runs().stream().map(Comparison::trainSeconds).toList();
            for (int i = 0; i < arm.runs().size(); i++) {
                int g = grpo == null ? -1 : grpo.seeds().indexOf(arm.seeds().get(i));
                toBest.add(g < 0 ? Double.NaN : stepsToReach(smoothed(curve(arm.runs().get(i), "pass_rate")),
                        max(smoothed(curve(grpo.runs().get(g), "pass_rate")))));
                heldoutToBest.add(g < 0 ? Double.NaN : stepsToReach(heldoutCurve(basePass1, arm.runs().get(i), config.steps(), arm.results().get(i).pass1()),
                        heldoutCurve(basePass1, grpo.runs().get(g), config.steps(), grpo.results().get(g).pass1()).tailMap(1L).values().stream()
                                .mapToDouble(d -> d).max().orElse(Double.NaN)));
            }
            List<EvalResult> r = arm.results();
            md.append("| ").append(name).append(" | ").append(r.size()).append(" | ")
                    .append(meanStd(r.stream().map(EvalResult::pass1).toList())).append(" | ")
                    .append(meanStd(r.stream().map(EvalResult::passK).toList())).append(" | ")
                    .append(meanStd(r.stream().map(e -> e.seenFamilies().pass1()).toList())).append(" | ")
                    .append(meanStd(r.stream().map(e -> e.heldoutOnly().pass1()).toList())).append(" | ")
                    .append(meanStd(r.stream().map(EvalResult::envCrossEntropy).toList())).append(" | ")
                    .append(lastRewards.isEmpty() ? "-" : meanStd(lastRewards)).append(" | ")
                    .append(toBest.isEmpty() ? "-" : stepsSummary(toBest)).append(" | ")
                    .append(heldoutToBest.isEmpty() ? "-" : stepsSummary(heldoutToBest)).append(" | ")
                    .append(seconds.isEmpty() ? "-" : String.format("%.1f", seconds.stream().mapToDouble(d -> d).average().orElse(0) / 60)).append(" |\n");
            for (int i = 0; i < r.size(); i++) {
                EvalResult e = r.get(i);
                boolean trained = !arm.runs().isEmpty();
                csv.append(name).append(',').append(trained ? arm.seeds().get(i) : "").append(',').append(e.pass1()).append(',')
                        .append(e.passK()).append(',').append(e.envCrossEntropy()).append(',')
                        .append(trained ? lastRewards.get(i) : "").append(',')
                        .append(e.seenFamilies().pass1()).append(',').append(e.seenFamilies().passK()).append(',')
                        .append(e.heldoutOnly().pass1()).append(',').append(e.heldoutOnly().passK()).append(',')
                        .append(trained && Double.isFinite(toBest.get(i)) ? String.valueOf(toBest.get(i).intValue()) : "").append(',')
                        .append(trained ? String.format("%.1f", seconds.get(i)) : "").append(',')
                        .append(trained && Double.isFinite(heldoutToBest.get(i)) ? String.valueOf(heldoutToBest.get(i).intValue()) : "").append('\n');
            }
        });
        if (grpo != null) {
            results.values().stream().filter(a -> a.mode() != null && a.mode() != Mode.GRPO).forEach(arm -> md.append(pairedDifference(arm, grpo)));
        }
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("results.csv"), csv.toString(), StandardCharsets.UTF_8);
            Map<String, List<Map<String, Object>>> curves = new LinkedHashMap<>();
            for (Arm arm : results.values()) {
                for (int i = 0; i < arm.runs().size(); i++) {
                    List<Map<String, Object>> rows = withAverages(MetricsLog.read(arm.runs().get(i).resolve("metrics.jsonl")));
                    heldoutCurve(basePass1, arm.runs().get(i), config.steps(), arm.results().get(i).pass1())
                            .forEach((step, pass1) -> rows.add(Map.of("step", step, HELDOUT_PASS1, pass1)));
                    curves.put(arm.mode().id() + " s" + arm.seeds().get(i), rows);
                }
            }
            LearningCurves.write(out.resolve("compare.png"), "GRPO vs ECHO", curves,
                    List.of(HELDOUT_PASS1, REWARD_AVERAGE, "reward_mean", ENV_CE_AVERAGE, "entropy", "tokens_generated"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write comparison results to " + out, e);
        }
        return md.toString();
    }

    /**
     * An arm's held-out pass@1 minus GRPO's, seed for seed: both saw the same tasks and sampling seeds, so the
     * spread of the difference, not of each arm, says whether the arms differ.
     */
    static String pairedDifference(Arm arm, Arm grpo) {
        List<String> each = new ArrayList<>();
        List<Double> diffs = new ArrayList<>();
        for (int i = 0; i < arm.seeds().size(); i++) {
            int g = grpo.seeds().indexOf(arm.seeds().get(i));
            if (g >= 0) {
                double d = arm.results().get(i).pass1() - grpo.results().get(g).pass1();
                diffs.add(d);
                each.add(String.format("%+.4f (seed %d)", d, arm.seeds().get(i)));
            }
        }
        return diffs.isEmpty() ? "" : String.format("%n%s minus grpo, held-out pass@1 seed for seed: %s; mean ± sd %s%n",
                arm.mode().id(), String.join(", ", each), meanStd(diffs));
    }

    /** Steps of the moving average behind steps-to-best: single steps of a few groups are too noisy to compare. */
    static final int SMOOTHING = 5;

    private static final String REWARD_AVERAGE = "reward_mean, " + SMOOTHING + "-step average";
    private static final String ENV_CE_AVERAGE = "env_ce, " + SMOOTHING + "-step average";

    static final String HELDOUT_PASS1 = "held-out pass@1 (fixed tasks)";

    /**
     * A run's pass@1 on the fixed held-out tasks: the base's at step 0, each {@code eval.every} evaluation, and the
     * final one; the curve that says whether training helped, where a step's reward says which tasks it drew.
     */
    static NavigableMap<Long, Double> heldoutCurve(double basePass1, Path run, int steps, double finalPass1) {
        NavigableMap<Long, Double> points = new TreeMap<>(Map.of(0L, basePass1));
        Path periodic = run.resolve(PeriodicEvaluation.FILE);
        try {
            if (Files.isRegularFile(periodic)) {
                for (Map<String, Object> row : MetricsLog.read(periodic)) {
                    points.put(((Number) row.get("step")).longValue(), ((Number) row.get("pass1")).doubleValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        points.put((long) steps, finalPass1);
        return points;
    }

    /** The first evaluated step after the start whose held-out pass@1 reaches {@code target}, NaN when none does. */
    static double stepsToReach(NavigableMap<Long, Double> curve, double target) {
        return curve.tailMap(1L).entrySet().stream().filter(p -> p.getValue() >= target - 1e-12)
                .mapToDouble(Map.Entry::getKey).findFirst().orElse(Double.NaN);
    }

    /** The rows with the moving averages of reward and env CE added: a step's value depends mostly on which tasks it drew. */
    private static List<Map<String, Object>> withAverages(List<Map<String, Object>> rows) {
        List<Double> reward = smoothed(rows.stream().map(r -> ((Number) r.get("reward_mean")).doubleValue()).toList());
        List<Double> envCe = smoothed(rows.stream().map(r -> ((Number) r.get("env_ce")).doubleValue()).toList());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>(rows.get(i));
            row.put(REWARD_AVERAGE, reward.get(i));
            row.put(ENV_CE_AVERAGE, envCe.get(i));
            out.add(row);
        }
        return out;
    }

    private static List<Double> curve(Path run, String metric) {
        try {
            return MetricsLog.read(run.resolve("metrics.jsonl")).stream().map(r -> ((Number) r.get(metric)).doubleValue()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double lastRewards(List<Double> rewards) {
        return rewards.subList(Math.max(0, rewards.size() - 5), rewards.size()).stream().mapToDouble(d -> d).average().orElse(Double.NaN);
    }

    private static double trainSeconds(Path run) {
        List<Double> rollout = curve(run, "rollout_seconds");
        List<Double> update = curve(run, "update_seconds");
        return rollout.stream().mapToDouble(d -> d).sum() + update.stream().mapToDouble(d -> d).sum();
    }

    /** Trailing moving average: entry i averages steps max(0, i-SMOOTHING+1)..i. */
    static List<Double> smoothed(List<Double> values) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            int from = Math.max(0, i - SMOOTHING + 1);
            out.add(values.subList(from, i + 1).stream().mapToDouble(d -> d).average().orElse(Double.NaN));
        }
        return out;
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
    }

    /** The first step (1-based) whose value reaches {@code target}, NaN when none does. */
    static double stepsToReach(List<Double> values, double target) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) >= target - 1e-12) {
                return i + 1;
            }
        }
        return Double.NaN;
    }

    static String stepsSummary(List<Double> steps) {
        List<Double> reached = steps.stream().filter(Double::isFinite).toList();
        double mean = reached.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
        double sd = Math.sqrt(reached.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / Math.max(1, reached.size() - 1));
        String summary = reached.isEmpty() ? "-" : reached.size() == 1 ? String.format("%.0f", mean) : String.format("%.1f ± %.1f", mean, sd);
        return summary + " (" + reached.size() + "/" + steps.size() + " reached)";
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
