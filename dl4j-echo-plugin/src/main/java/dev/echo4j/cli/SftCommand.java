package dev.echo4j.cli;

import dev.echo4j.model.Checkpoint;
import dev.echo4j.rollout.ScriptedEpisodes;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.rollout.TranscriptCorpus;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.TrainingCheckpoints;
import dev.echo4j.transcript.RenderedTranscript;
import dev.echo4j.transcript.TokenRole;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptJsonl;
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
 * The paper's "expert SFT" baseline: cross-entropy on the agent's turns of reference-solution transcripts
 * of training tasks (or of any transcripts file), optionally on the terminal's output too.
 */
@Command(name = "sft",
        description = "Supervised fine-tuning on reference-solution (or given) transcripts.",
        footer = {"", "Example:", "  ./echo4j sft --base zoo-configs/checkpoints/tiny-base --out runs/sft/ckpt --window 1536 --steps 200"})
final class SftCommand implements Callable<Integer> {

    @Option(names = "--base", required = true, description = "Checkpoint to start from.")
    Path base;

    @Option(names = "--out", required = true, description = "Checkpoint folder to write.")
    Path out;

    @Option(names = "--transcripts", description = "A transcripts JSONL file to learn from (default: reference solutions of training tasks).")
    Path transcripts;

    @Option(names = "--with-env", description = "Also learn the terminal's output (ECHO's env term, as SFT).")
    boolean withEnv;

    @Option(names = "--task-count", defaultValue = "112", description = "Training tasks whose solutions are replayed (default: ${DEFAULT-VALUE}).")
    int taskCount;

    @Option(names = "--families", split = ",", description = "Only these training families' solutions (default: every family).")
    List<String> families = List.of();

    @Mixin
    CrossEntropyOptions training;

    @Mixin
    SandboxOptions sandbox;

    @Override
    public Integer call() throws Exception {
        Checkpoint.Loaded loaded = Checkpoint.load(TrainingCheckpoints.policyDir(base));
        List<Transcript> data;
        if (transcripts != null) {
            data = TranscriptJsonl.read(transcripts);
        } else {
            List<Task> tasks = TaskSets.prepare(training.tasksRoot, Split.TRAIN, taskCount, 101, families);
            try (Progress progress = new Progress("experts", tasks.size(), 0)) {
                data = TranscriptCorpus.experts(training.runDir.resolve("experts-" + TaskSets.name(tasks) + ".jsonl"), tasks,
                        new ScriptedEpisodes(sandbox.config(), CrossEntropyOptions.EPISODES, 8), 2, done -> progress.step(done, Map.of()));
            }
        }
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no transcripts to learn from" + (transcripts != null ? " in " + transcripts : ""));
        }
        TranscriptRenderer renderer = new TranscriptRenderer(new ChatTemplate(loaded.tokenizer()));
        List<RenderedTranscript> rendered = data.stream().map(renderer::render).toList();
        int heldout = Math.max(1, rendered.size() / 10);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("made_by", "echo4j sft --base " + base + (withEnv ? " --with-env" : "")
                + (families.isEmpty() ? "" : " --families " + String.join(",", families)) + " --task-count " + taskCount + " on " + data.size() + " transcripts");
        provenance.put("data", transcripts != null ? Map.of("transcripts_file", transcripts.toString(), "transcripts", data.size())
                : Map.of("reference_solutions_of", "training split, suite seed 101", "task_count", taskCount,
                        "families", families.isEmpty() ? "all" : String.join(",", families), "transcripts", data.size()));
        provenance.put("base_manifest", new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(TrainingCheckpoints.policyDir(base).resolve("manifest.json").toFile()).path("metadata"));
        training.train("sft", loaded.model(), loaded.tokenizer(), rendered.subList(heldout, rendered.size()), rendered.subList(0, heldout),
                withEnv ? EnumSet.of(TokenRole.ACTION, TokenRole.ENV) : EnumSet.of(TokenRole.ACTION), out, provenance);
        return 0;
    }
}
