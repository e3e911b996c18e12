package dev.echo4j.cli;

import dev.echo4j.model.Checkpoint;
import dev.echo4j.rollout.PolicySend;
import dev.echo4j.rollout.Rollout;
import dev.echo4j.rollout.RolloutCluster;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.TrainingCheckpoints;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Rollout throughput: the same steps of episodes on this machine and, with {@code --spark-master}, on Spark with one
 * and then two executors, side by side; the policy changes between steps as in training, so each step sends it anew.
 */
@Command(name = "rollouts", description = {"Rollout throughput: episodes/s here and on Spark with 1 and 2 executors, policy broadcast time per step.",
        "Examples:", "  ./echo4j bench rollouts", "  ./echo4j bench rollouts --spark-master local[2]",
        "  ./echo4j bench rollouts --spark-master spark://head:7077 --spark-conf spark.executor.memory=2g"})
final class BenchRolloutsCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", defaultValue = "${sys:echo4j.home:-.}/zoo-configs/checkpoints/tiny-sft",
            description = "Policy checkpoint (default: ${DEFAULT-VALUE}).")
    Path checkpoint;

    @Option(names = "--steps", defaultValue = "3", description = "Steps measured per engine, after one warm-up step (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--prompts", defaultValue = "4", description = "Tasks per step (default: ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--group", defaultValue = "4", description = "Episodes per task (default: ${DEFAULT-VALUE}).")
    int group;

    @Option(names = "--tasks-root", defaultValue = "${sys:echo4j.home:-.}/runs/tasks", description = "Where generated tasks are cached (default: ${DEFAULT-VALUE}).")
    Path tasksRoot;

    @Mixin
    SandboxOptions sandbox;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        if (steps < 1 || prompts < 1 || group < 1) {
            throw new IllegalArgumentException("--steps, --prompts and --group must be at least 1");
        }
        Checkpoint.Loaded policy = Checkpoint.load(TrainingCheckpoints.policyDir(checkpoint));
        RolloutSettings settings = RolloutSettings.DEFAULTS;
        List<Task> tasks = TaskSets.prepare(tasksRoot, Split.TRAIN, prompts * (steps + 1), 1);
        System.out.printf("%d steps of %d tasks x %d episodes (after one warm-up step), %s, rollout settings %s%n", steps, prompts, group,
                checkpoint.getFileName(), settings);
        System.out.printf("%-34s %10s %12s %14s %12s%n", "engine", "episodes/s", "s/episode", "policy s/step", "policy MB");
        report("this machine (" + settings.workers() + " sandbox workers)", measure(RolloutEngine.Factory.LOCAL, policy, tasks, settings));
        if (spark.master != null) {
            for (int executors = 1; executors <= 2; executors++) {
                try (RolloutCluster cluster = RolloutCluster.connect(master(executors), settings(executors))) {
                    report("spark, " + executors + " executor" + (executors > 1 ? "s" : "") + " (" + master(executors) + ")",
                            measure(cluster, policy, tasks, settings));
                }
            }
        } else {
            System.out.println("(add --spark-master local[2] or spark://host:port to compare with Spark)");
        }
        return 0;
    }

    /** local[N] masters run N task threads in one executor; on a cluster, N one-core executors. */
    private String master(int executors) {
        return spark.master.startsWith("local") ? "local[" + executors + "]" : spark.master;
    }

    private Map<String, String> settings(int executors) {
        Map<String, String> s = new LinkedHashMap<>(spark.settings());
        if (!spark.master.startsWith("local")) {
            s.put("spark.executor.cores", "1");
            s.put("spark.cores.max", Integer.toString(executors));
        }
        return s;
    }

    /** Measured steps: their episodes and seconds, and the policy sends among them (count, bytes, driver seconds). */
    private record Figures(int episodes, double seconds, int sends, long sentBytes, double sendSeconds) {
    }

    private Figures measure(RolloutEngine.Factory engines, Checkpoint.Loaded policy, List<Task> tasks, RolloutSettings settings) {
        INDArray weight = firstWeight(policy);
        SamplingConfig sampling = new SamplingConfig(0.8, 1, 0, 0, settings.maxNewTokens(), List.of(new ChatTemplate(policy.tokenizer()).endOfTurnId()));
        try (RolloutEngine engine = engines.open(policy.model(), policy.tokenizer(), sandbox.config(), settings)) {
            double seconds = 0;
            int episodes = 0;
            int sends = 0;
            long sentBytes = 0;
            double sendSeconds = 0;
            for (int step = 0; step <= steps; step++) {
                weight.putScalar(0, Math.nextUp(weight.getFloat(0)));   // a new policy each step, as after an update
                long t0 = System.nanoTime();
                List<Rollout> rollouts = engine.collect(tasks.subList(step * prompts, (step + 1) * prompts), group,
                        new SamplingConfig(sampling.temperature(), 1, 0, 1000L * step, sampling.maxNewTokens(), sampling.stopTokenIds()));
                if (step > 0) {
                    seconds += (System.nanoTime() - t0) / 1e9;
                    episodes += rollouts.size();
                    Optional<PolicySend> send = engine.lastPolicySend();
                    if (send.isPresent() && send.get().resent()) {
                        sends++;
                        sentBytes += send.get().bytes();
                        sendSeconds += send.get().seconds();
                    }
                }
            }
            return new Figures(episodes, seconds, sends, sentBytes, sendSeconds);
        }
    }

    private static INDArray firstWeight(Checkpoint.Loaded policy) {
        return policy.model().sd().variables().stream().filter(v -> v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE)
                .findFirst().orElseThrow().getArr();
    }

    private void report(String engine, Figures f) {
        String sendSeconds = f.sends() == 0 ? "-" : String.format("%.3f", f.sendSeconds() / f.sends());
        String megabytes = f.sends() == 0 ? "-" : String.format("%.1f", f.sentBytes() / (double) f.sends() / 1e6);
        System.out.printf("%-34s %10.2f %12.3f %14s %12s%n", engine, f.episodes() / f.seconds(), f.seconds() / f.episodes(), sendSeconds, megabytes);
    }
}
