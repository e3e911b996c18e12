package dev.echo4j.cli;

import dev.echo4j.eval.Comparison;
import dev.echo4j.eval.HeldoutSuite;
import dev.echo4j.train.Mode;
import dev.echo4j.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** GRPO and ECHO arms from one base checkpoint, same seeds and budgets, evaluated on held-out tasks. */
@Command(name = "compare",
        description = "GRPO vs ECHO from the same base checkpoint over several seeds: table and plot.",
        footer = {"", "The comparison behind docs/results.md (about 70 minutes on 2 cores):",
                "  ./echo4j compare --config compare-miniature --seeds 1,2,3",
                "Writes results.md, results.csv (per seed: pass@1 and pass@k on all held-out",
                "tasks, on unseen seeds of the training families and on the held-out-only",
                "families; env CE; steps to GRPO's best; train seconds), compare.png and a",
                "run folder per arm and seed. An interrupted comparison resumes its runs and",
                "reuses the evaluations it finished: --arms grpo and --arms echo can run as two",
                "processes on one --out folder, then a run with both arms writes the table."})
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

    @Mixin
    ConfigOptions options;

    @Mixin
    SandboxOptions sandbox;

    @Override
    public Integer call() {
        TrainConfig cfg = options.load("base_checkpoint=" + base);
        System.out.println(compare(cfg, arms.stream().map(Mode::fromId).toList(), seeds, out, options.tasksRoot, sandbox));
        return 0;
    }

    /** Runs a comparison with progress shown, and returns its Markdown table. */
    static String compare(TrainConfig cfg, List<Mode> modes, List<Long> seeds, Path out, Path tasksRoot, SandboxOptions sandbox) {
        HeldoutSuite heldout = HeldoutSuite.prepare(tasksRoot, cfg.tasks(), sandbox.config(), cfg.rollout(), i -> { });
        Comparison comparison = new Comparison(cfg, out, tasksRoot, sandbox.config());
        Map<String, Comparison.Arm> results = comparison.run(modes, seeds, heldout, (label, trainer) -> {
            System.err.println("echo4j: training " + label);
            TrainCommand.train(trainer);
        });
        String table = comparison.report(results);
        return table + "\nplot: " + out.resolve("compare.png").toAbsolutePath() + "\ntable: " + out.resolve("results.md").toAbsolutePath();
    }
}
