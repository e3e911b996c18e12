package dev.echo4j.cli;

import dev.echo4j.eval.EvalResult;
import dev.echo4j.eval.Evaluator;
import dev.echo4j.eval.HeldoutSuite;
import dev.echo4j.model.Checkpoint;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.PolicyOptimizer;
import dev.echo4j.train.TrainConfig;
import dev.echo4j.train.TrainingCheckpoints;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.eval.TaskScore;
import dev.echo4j.task.Task;
import dev.echo4j.task.TaskFormatException;
import dev.echo4j.task.TaskSandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** pass@1, pass@k and world-model cross-entropy of a checkpoint on fixed held-out tasks and transcripts. */
@Command(name = "eval",
        description = {"Evaluate a checkpoint: pass@1/pass@k on held-out tasks and env-token cross-entropy,",
                "or, with --tasks, pass@1/pass@k and a per-task reward table on a folder of Harbor tasks (Terminal-Bench 2 included;"
                        + " Dockerfile tasks run in their images, built offline on first use)."},
        footer = {"", "Examples:", "  ./echo4j eval runs/echo/checkpoints/step-000030 --suite heldout --set eval.samples=8 --set eval.k=4",
                "  ./echo4j eval runs/echo/checkpoints/step-000030 --tasks tb2-tasks/ --set eval.samples=4 --set eval.k=4",
                "  ./echo4j eval runs/echo/checkpoints/step-000030 --spark-master local[2]"})
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A policy checkpoint or a training checkpoint folder.")
    Path checkpoint;

    @Option(names = "--suite", defaultValue = "heldout", description = "heldout or train (default: ${DEFAULT-VALUE}).")
    String suite;

    @Option(names = "--tasks", paramLabel = "DIR", description = "A folder of Harbor task folders (or one task folder) to evaluate on instead of --suite.")
    Path tasksDir;

    @Mixin
    ConfigOptions options;

    @Mixin
    SandboxOptions sandbox;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        if (tasksDir != null) {
            return evaluateFolder();
        }
        TrainConfig cfg = options.load();
        Split split = Split.parse(suite);
        Checkpoint.Loaded loaded = Checkpoint.load(TrainingCheckpoints.policyDir(checkpoint));
        HeldoutSuite heldout = HeldoutSuite.prepare(options.tasksRoot, cfg.tasks(), sandbox.config(), cfg.rollout(), i -> { });
        var tasks = split == Split.HELDOUT ? heldout.tasks()
                : TaskSets.prepare(options.tasksRoot, Split.TRAIN, cfg.tasks().trainCount(), cfg.tasks().suiteSeed(), cfg.tasks().families());
        PolicyOptimizer policy = new PolicyOptimizer(loaded.model(), EchoConfig.DEFAULTS, cfg.optimizer());
        EvalResult r;
        try (SparkOptions.Engines engines = spark.open()) {
            Evaluator evaluator = new Evaluator(policy, new ChatTemplate(loaded.tokenizer()), sandbox.config(), cfg.rollout(), engines.factory());
            r = evaluator.evaluate(tasks, heldout.transcripts(), cfg.eval());
        }
        System.out.printf("%s on %s: %d tasks x %d samples (temperature %.2f, seed %d)%n", checkpoint, suite, r.tasks(), r.samples(),
                cfg.eval().sampling().temperature(), cfg.eval().seed());
        System.out.printf("pass@1 %.4f   pass@%d %.4f   reward mean %.4f%n", r.pass1(), r.k(), r.passK(), r.rewardMean());
        System.out.printf("env cross-entropy on %d held-out transcripts: %.4f nats/token%n", heldout.transcripts().size(), r.envCrossEntropy());
        if (r.heldoutOnly().tasks() > 0) {
            System.out.printf("  unseen seeds of training families (%d tasks): pass@1 %.4f   pass@%d %.4f%n", r.seenFamilies().tasks(),
                    r.seenFamilies().pass1(), r.k(), r.seenFamilies().passK());
            System.out.printf("  held-out-only families (%d tasks):            pass@1 %.4f   pass@%d %.4f%n", r.heldoutOnly().tasks(),
                    r.heldoutOnly().pass1(), r.k(), r.heldoutOnly().passK());
        }
        r.perFamily().forEach((f, p) -> System.out.printf("  %-18s pass@1 %.3f%n", f, p));
        return 0;
    }

    /**
     * pass@k over the tasks of --tasks, a per-task table, and the tasks that cannot run here with their reasons. The episodes'
     * window is the model's ({@link ModelWindow}), as in run-agent.
     */
    private int evaluateFolder() {
        List<Path> folders = Task.foldersIn(tasksDir);
        if (folders.isEmpty()) {
            System.err.println("echo4j: no task folders (with task.toml) in " + tasksDir);
            return 2;
        }
        Checkpoint.Loaded loaded = Checkpoint.load(TrainingCheckpoints.policyDir(checkpoint));
        TrainConfig cfg = ModelWindow.config(options, loaded);
        ChatTemplate template = new ChatTemplate(loaded.tokenizer());
        List<Task> tasks = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Path f : folders) {
            try {
                Task t = Task.load(f);
                Optional<String> refusal = sandbox.refusal(t).or(() -> ModelWindow.tooLong(t, template, cfg.rollout()));
                if (refusal.isPresent()) {
                    refused.add(refusal.get());
                    continue;
                }
                if (t.dockerfile().isPresent()) {
                    TaskSandbox.image(t);
                }
                tasks.add(t);
            } catch (TaskFormatException e) {
                refused.add(f.getFileName() + ": " + e.getMessage());
            } catch (SandboxUnavailableException e) {
                return SandboxOptions.unavailable(e);
            }
        }
        if (tasks.isEmpty()) {
            System.err.println("echo4j: none of the " + folders.size() + " tasks in " + tasksDir + " can run here:");
            refused.forEach(r -> System.err.println("  " + r));
            return 2;
        }
        PolicyOptimizer policy = new PolicyOptimizer(loaded.model(), EchoConfig.DEFAULTS, cfg.optimizer());
        Evaluator evaluator = new Evaluator(policy, template, sandbox.config(), cfg.rollout());
        List<TaskScore> scores = evaluator.evaluatePerTask(tasks, cfg.eval());
        int n = cfg.eval().samples();
        int k = cfg.eval().k();
        System.out.printf("%s on %s: %d tasks x %d samples (temperature %.2f, seed %d, window %d tokens)%n", checkpoint, tasksDir, tasks.size(), n,
                cfg.eval().sampling().temperature(), cfg.eval().seed(), cfg.rollout().maxSequenceTokens());
        System.out.printf("pass@1 %.4f   pass@%d %.4f   (%d tasks refused, not counted)%n",
                scores.stream().mapToDouble(s -> (double) s.passed() / n).average().orElse(0), k,
                scores.stream().mapToDouble(TaskScore::passK).average().orElse(0), refused.size());
        int width = Math.max(4, scores.stream().mapToInt(s -> s.task().length()).max().orElse(4));
        System.out.printf("%-" + width + "s  passed  reward  pass@%d%n", "task", k);
        for (TaskScore s : scores) {
            System.out.printf("%-" + width + "s  %3d/%-3d %6.3f  %6.3f%n", s.task(), s.passed(), s.samples(), s.rewardMean(), s.passK());
        }
        for (TaskScore s : scores) {
            s.failures().forEach((why, count) -> System.out.printf("  %s: %d x %s%n", s.task(), count, why));
        }
        refused.forEach(r -> System.out.println("  refused: " + r));
        return 0;
    }
}
