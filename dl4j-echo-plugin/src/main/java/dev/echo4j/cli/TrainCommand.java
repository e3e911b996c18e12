package dev.echo4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.echo4j.rollout.RolloutsFailedException;
import dev.echo4j.eval.HeldoutSuite;
import dev.echo4j.eval.PeriodicEvaluation;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.RunDirectory;
import dev.echo4j.train.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** GRPO / ECHO / env-only training on generated tasks in the sandbox. */
@Command(name = "train",
        description = "Train a policy with GRPO, ECHO or env-only on sandboxed tasks.",
        footer = {"", "Examples:",
                "  echo4j train --run runs/echo --set base_checkpoint=zoo-configs/checkpoints/tiny-base",
                "  echo4j train --config train-tiny --run runs/grpo --set mode=grpo --set steps=100",
                "  echo4j train --run runs/echo --resume",
                "  echo4j train --run runs/echo --resume --set steps=60 --allow-config-change",
                "  echo4j train --run runs/echo --spark-master spark://head:7077 --spark-conf spark.executor.memory=4g",
                "", "Ctrl-C or SIGTERM finishes the current step, saves a checkpoint and exits (130 / 143); a second one stops at once."})
final class TrainCommand implements Callable<Integer> {

    static final String CONFIG_CHANGES = "config-changes.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--run", required = true, description = "Run folder: config, metrics, curves, transcripts, checkpoints.")
    Path runDir;

    @Option(names = "--resume", description = "Continue from the run folder's latest checkpoint with the run's own config.yaml.")
    boolean resume;

    @Option(names = "--allow-config-change", description = "With --resume: continue under a --config/--set that changes the run's config "
            + "(the changes are recorded in " + CONFIG_CHANGES + ").")
    boolean allowConfigChange;

    @Mixin
    ConfigOptions options;

    @Mixin
    SandboxOptions sandbox;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        Path savedConfig = runDir.resolve("config.yaml");
        TrainConfig cfg;
        Map<String, List<JsonNode>> changes = Map.of();
        if (resume) {
            if (!Files.isRegularFile(savedConfig)) {
                System.err.println("echo4j train: --resume: " + runDir + " has no config.yaml, so there is no run to continue (start it without --resume)");
                return 2;
            }
            cfg = options.loadOver(savedConfig.toString());
            changes = changes(TrainConfig.load(savedConfig.toString(), List.of()), cfg);
            if (!changes.isEmpty() && !allowConfigChange) {
                System.err.println("echo4j train: --resume continues with the run's own config.yaml, which --config/--set would change ("
                        + describe(changes) + "); drop them, or add --allow-config-change to continue under the new values");
                return 2;
            }
        } else {
            cfg = options.load();
        }
        RunDirectory run = new RunDirectory(runDir, options.tasksRoot);
        try (SparkOptions.Engines engines = spark.open();
             EchoTrainer trainer = new EchoTrainer(cfg, run, sandbox.config(), resume, engines.factory())) {
            if (!changes.isEmpty()) {
                record(runDir.resolve(CONFIG_CHANGES), trainer.completedSteps(), changes);
                System.err.println("echo4j train: config changed from step " + trainer.completedSteps() + ": " + describe(changes));
            }
            train(trainer, run, engines.factory());
        } catch (TrainingInterrupted e) {
            System.err.println("echo4j: " + e.getMessage() + " in " + runDir.resolve("checkpoints")
                    + "; continue with: echo4j train --run " + runDir + " --resume");
            return e.exitCode();
        } catch (RolloutsFailedException e) {
            System.err.println("echo4j: " + e.getMessage() + "; the run's checkpoints are kept in " + runDir.resolve("checkpoints")
                    + ": continue from the latest with: echo4j train --run " + runDir + " --resume");
            return 1;
        }
        System.out.println("run: " + runDir.toAbsolutePath() + " (metrics.jsonl, curves.png, checkpoints/)");
        return 0;
    }

    /**
     * Trains with a progress bar (and the held-out evaluation every {@code eval.every} steps); a stop signal (see
     * {@link StopSignals}) saves a checkpoint and throws {@link TrainingInterrupted}.
     */
    private void train(EchoTrainer trainer, RunDirectory run, RolloutEngine.Factory engines) {
        TrainConfig cfg = trainer.config();
        try (StopSignals stop = new StopSignals();
             PeriodicEvaluation evaluation = new PeriodicEvaluation(trainer, run.dir(),
                     () -> HeldoutSuite.prepare(options.tasksRoot, cfg.tasks(), sandbox.config(), cfg.rollout(), i -> { }), sandbox.config(), engines)) {
            try (Progress progress = new Progress(cfg.mode().id(), cfg.steps(), trainer.completedSteps())) {
                trainer.train(evaluation.after((done, m) -> progress.step(done, m, "reward_mean", "env_ce", "policy_loss")), stop::requested);
            }
            stop.throwIfReceived("stopped after step " + trainer.completedSteps() + " of " + cfg.steps()
                    + ", checkpoint step-" + String.format("%06d", trainer.completedSteps()) + " saved");
        }
    }

    /** Each setting whose value differs, by its dotted key, with the saved and the new value. */
    static Map<String, List<JsonNode>> changes(TrainConfig saved, TrainConfig asked) {
        Map<String, List<JsonNode>> changes = new LinkedHashMap<>();
        collect(JSON.valueToTree(saved), JSON.valueToTree(asked), "", changes);
        return changes;
    }

    private static void collect(JsonNode was, JsonNode now, String path, Map<String, List<JsonNode>> changes) {
        if (was.isObject() && now.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            was.fieldNames().forEachRemaining(keys::add);
            now.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                collect(was.path(key), now.path(key), path + key + ".", changes);
            }
        } else if (!was.equals(now)) {
            changes.put(path.substring(0, path.length() - 1), List.of(was, now));
        }
    }

    private static String describe(Map<String, List<JsonNode>> changes) {
        return changes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().get(0) + " -> " + e.getValue().get(1))
                .collect(Collectors.joining(", "));
    }

    /** Appends one line, {@code {"from_step": N, "changed": {"key": [was, now], ...}}}, to the run's record of config changes. */
    private static void record(Path file, long step, Map<String, List<JsonNode>> changes) {
        try {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("from_step", step);
            row.put("changed", changes);
            String line = JSON.writeValueAsString(row) + "\n";
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
