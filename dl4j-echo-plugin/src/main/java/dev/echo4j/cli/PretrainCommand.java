package dev.echo4j.cli;

import dev.echo4j.model.Checkpoint;
import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.rollout.ScriptedEpisodes;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.rollout.TranscriptCorpus;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.train.TrainingCheckpoints;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.transcript.RenderedTranscript;
import dev.echo4j.transcript.TokenRole;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptRenderer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The base policy, made here because no pretrained weights can be downloaded: a fresh model learns, as
 * plain next-token prediction, transcripts of exploratory shell sessions on training tasks (commands from a
 * grammar, run for real in the sandbox). It learns the protocol, shell syntax and what terminals answer,
 * and never sees a task's solution.
 */
@Command(name = "pretrain",
        description = "Make a base policy from scratch on exploration transcripts (no task solutions).",
        footer = {"", "Reproduce the shipped base checkpoint (two stages: short windows, then long ones):",
                "  ./echo4j pretrain --out runs/base-stage1 --steps 300 --window 384 --lr 2e-3",
                "  ./echo4j pretrain --init runs/base-stage1 --out zoo-configs/checkpoints/tiny-base --steps 150 --batch 4 --window 1024 --lr 1e-3"})
final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Checkpoint folder to write.")
    Path out;

    @Option(names = "--model", defaultValue = "tiny", description = "Zoo model or config file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--init", description = "Continue from this checkpoint instead of a fresh model (e.g. a second stage with longer windows).")
    Path init;

    @Option(names = "--episodes", defaultValue = "800", description = "Exploration episodes to learn from (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--task-count", defaultValue = "112", description = "Training-split tasks explored (default: ${DEFAULT-VALUE}).")
    int taskCount;

    @Option(names = "--workers", defaultValue = "3", description = "Episodes played in parallel (default: ${DEFAULT-VALUE}).")
    int workers;

    @Mixin
    CrossEntropyOptions training;

    @Mixin
    SandboxOptions sandbox;

    @Override
    public Integer call() throws Exception {
        List<Task> tasks = TaskSets.prepare(training.tasksRoot, Split.TRAIN, taskCount, 101);
        ScriptedEpisodes scripted = new ScriptedEpisodes(sandbox.config(), CrossEntropyOptions.EPISODES, 8);
        List<Transcript> corpus;
        try (Progress progress = new Progress("explore", episodes, 0)) {
            corpus = TranscriptCorpus.explorations(training.runDir.resolve("exploration.jsonl"), tasks, episodes, training.seed,
                    scripted, workers, done -> progress.step(done, Map.of()));
        }
        TranscriptRenderer renderer = new TranscriptRenderer(new ChatTemplate(new ByteTokenizer()));
        List<RenderedTranscript> rendered = corpus.stream().map(renderer::render).toList();
        int heldout = Math.max(1, rendered.size() / 20);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("made_by", "echo4j pretrain " + (init != null ? "--init " + init + " " : "") + "--model " + model + " --episodes " + episodes + " --task-count " + taskCount
                + " --steps " + training.steps + " --batch " + training.batch + " --window " + training.window
                + " --lr " + training.learningRate + " --seed " + training.seed);
        provenance.put("corpus_tokens", rendered.stream().mapToLong(RenderedTranscript::length).sum());
        Qwen3Model policy = init != null ? Checkpoint.load(TrainingCheckpoints.policyDir(init)).model()
                : Qwen3Model.create(ModelConfig.load(model), training.seed);
        training.train("pretrain", policy, new ByteTokenizer(), rendered.subList(heldout, rendered.size()), rendered.subList(0, heldout),
                EnumSet.allOf(TokenRole.class), out, provenance);
        return 0;
    }
}
