package dev.echo4j.cli;

import dev.echo4j.eval.Comparison;
import dev.echo4j.eval.HeldoutSuite;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.Mode;
import dev.echo4j.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** GRPO and ECHO arms from one base checkpoint, same seeds and budgets, evaluated on held-out tasks. */
@Command(name = "compare",
        description = "GRPO vs ECHO from the same base checkpoint over several seeds: table and plot.",
        footer = {"", "The comparison behind docs/results.md (3 seeds: under an hour on 2 cores):",
                "  ./echo4j compare --config compare-miniature --seeds 1,2,3",
                "A longer study (60 steps, held-out pass@1 every 12; about 90 minutes):",
                "  ./echo4j compare --config study-long --seeds 7,8,9",
                "Writes results.md, results.csv (per seed: pass@1 and pass@k on all held-out",
                "tasks, on unseen seeds of the training families and on the held-out-only",
                "families; env CE; steps to GRPO's best, on training reward and on the",
                "held-out evaluations of eval.every; train seconds), compare.png (held-out",
                "pass@1 on fixed tasks, reward, env CE, entropy) and a",
                "run folder per arm and seed. An interrupted comparison (Ctrl-C or SIGTERM:",
                "each running step finishes and saves a checkpoint) resumes its runs and reuses",
                "the evaluations it finished when run again with the same --out."})
final class CompareCommand implements Callable<Integer> {

    @Option(names = "--base", description = "Base checkpoint (default: the shipped one, ${DEFAULT-VALUE}).",
            defaultValue = "${sys:echo4j.home:-.}/zoo-configs/checkpoints/tiny-sft")
    Path base;

    @Option(names = "--arms", split = ",", defaultValue = "grpo,echo", description = "Modes to compare (default: ${DEFAULT-VALUE}).")
    List<String> arms;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds, the same for every arm (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--out", defaultValue = "${sys:echo4j.home:-.}/runs/compare", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--jobs", defaultValue = "2", description = "Runs trained at once; each keeps about one core busy "
            + "(default: ${DEFAULT-VALUE}). The runs are the same whatever the number.")
    int jobs;

    @Mixin
    ConfigOptions options;

    @Mixin
    SandboxOptions sandbox;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        if (jobs < 1) {
            System.err.println("echo4j compare: --jobs must be at least 1, got " + jobs);
            return 2;
        }
        TrainConfig cfg = options.load("base_checkpoint=" + base);
        try (SparkOptions.Engines engines = spark.open()) {
            System.out.println(compare(cfg, arms.stream().map(Mode::fromId).toList(), seeds, jobs, out, options.tasksRoot, sandbox, engines.factory()));
        }
        return 0;
    }

    /** Runs a comparison on this machine with one progress bar over all its runs, and returns its Markdown table. */
    static String compare(TrainConfig cfg, List<Mode> modes, List<Long> seeds, int jobs, Path out, Path tasksRoot, SandboxOptions sandbox) {
        return compare(cfg, modes, seeds, jobs, out, tasksRoot, sandbox, RolloutEngine.Factory.LOCAL);
    }

    /** As {@link #compare(TrainConfig, List, List, int, Path, Path, SandboxOptions)}, the episodes played on {@code engines}. */
    static String compare(TrainConfig cfg, List<Mode> modes, List<Long> seeds, int jobs, Path out, Path tasksRoot, SandboxOptions sandbox,
                          RolloutEngine.Factory engines) {
        HeldoutSuite heldout = HeldoutSuite.prepare(tasksRoot, cfg.tasks(), sandbox.config(), cfg.rollout(), i -> { });
        Comparison comparison = new Comparison(cfg, out, tasksRoot, sandbox.config(), engines);
        long total = (long) modes.size() * seeds.size() * cfg.steps();
        Optional<Map<String, Comparison.Arm>> results;
        Progress[] bar = new Progress[1];   // started with the first run, after the base model's evaluation
        try (StopSignals stop = new StopSignals()) {
            try {
                results = comparison.run(modes, seeds, heldout, jobs, new Comparison.Training() {
                    @Override
                    public EchoTrainer.StepListener started(String label, long completedSteps) {
                        Progress progress = progress();
                        progress.advance(label, completedSteps, Map.of());
                        return (done, m) -> progress.advance(label, 1, m, "reward_mean", "env_ce");
                    }

                    private synchronized Progress progress() {
                        if (bar[0] == null) {
                            bar[0] = new Progress("compare", total, 0);
                        }
                        return bar[0];
                    }

                    @Override
                    public boolean stopRequested() {
                        return stop.requested();
                    }
                });
            } finally {
                if (bar[0] != null) {
                    bar[0].close();
                }
            }
            stop.throwIfReceived("the comparison's runs stopped after their current step and saved checkpoints in " + out);
        }
        String table = comparison.report(results.orElseThrow());
        return table + "\nplot: " + out.resolve("compare.png").toAbsolutePath() + "\ntable: " + out.resolve("results.md").toAbsolutePath();
    }
}
