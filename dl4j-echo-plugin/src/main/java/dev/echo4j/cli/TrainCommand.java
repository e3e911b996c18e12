package dev.echo4j.cli;

import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.RunDirectory;
import dev.echo4j.train.TrainConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** GRPO / ECHO / env-only training on generated tasks in the sandbox. */
@Command(name = "train",
        description = "Train a policy with GRPO, ECHO or env-only on sandboxed tasks.",
        footer = {"", "Examples:",
                "  echo4j train --run runs/echo --set base_checkpoint=zoo-configs/checkpoints/tiny-base",
                "  echo4j train --config train-tiny --run runs/grpo --set mode=grpo --set steps=100",
                "  echo4j train --run runs/echo --resume"})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "Run folder: config, metrics, curves, transcripts, checkpoints.")
    Path runDir;

    @Option(names = "--resume", description = "Continue from the run folder's latest checkpoint.")
    boolean resume;

    @Mixin
    ConfigOptions options;

    @Mixin
    SandboxOptions sandbox;

    @Override
    public Integer call() {
        TrainConfig cfg = options.load();
        RunDirectory run = new RunDirectory(runDir, options.tasksRoot);
        try (EchoTrainer trainer = new EchoTrainer(cfg, run, sandbox.config(), resume)) {
            train(trainer);
        }
        System.out.println("run: " + runDir.toAbsolutePath() + " (metrics.jsonl, curves.png, checkpoints/)");
        return 0;
    }

    /** Trains with a progress bar; Ctrl-C finishes the current step, saves a checkpoint and exits. */
    static void train(EchoTrainer trainer) {
        TrainConfig cfg = trainer.config();
        AtomicBoolean stop = new AtomicBoolean();
        Thread worker = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stop.set(true);
            System.err.println("\necho4j: stopping after this step and saving a checkpoint ...");
            try {
                worker.join(600_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try (Progress progress = new Progress(cfg.mode().id(), cfg.steps(), trainer.completedSteps())) {
            trainer.train((done, m) -> progress.step(done, m, "reward_mean", "env_ce", "policy_loss"), stop::get);
        } finally {
            if (!stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }
}
