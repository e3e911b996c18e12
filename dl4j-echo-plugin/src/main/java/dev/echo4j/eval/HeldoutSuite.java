package dev.echo4j.eval;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.rollout.ScriptedEpisodes;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.rollout.TranscriptCorpus;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.train.TaskSettings;
import dev.echo4j.transcript.Transcript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The fixed evaluation data: held-out tasks (unseen seeds, one family never trained on) and transcripts of
 * them that no policy generated, reference solutions and exploration, for the world-model metric.
 */
public record HeldoutSuite(List<Task> tasks, List<Transcript> transcripts) {

    public static HeldoutSuite prepare(Path tasksRoot, TaskSettings settings, SandboxConfig sandbox, RolloutSettings rollout,
                                       IntConsumer progress) {
        List<Task> tasks = TaskSets.prepare(tasksRoot, Split.HELDOUT, settings.heldoutCount(), settings.suiteSeed(), settings.families());
        ScriptedEpisodes scripted = new ScriptedEpisodes(sandbox, rollout, 8);
        String key = TaskSets.name(tasks);
        List<Transcript> transcripts = new ArrayList<>(TranscriptCorpus.experts(tasksRoot.resolve("heldout-experts-" + key + ".jsonl"),
                tasks, scripted, rollout.workers(), progress));
        transcripts.addAll(TranscriptCorpus.explorations(tasksRoot.resolve("heldout-exploration-" + key + ".jsonl"), tasks,
                tasks.size(), 9_001, scripted, rollout.workers(), progress));
        return new HeldoutSuite(tasks, List.copyOf(transcripts));
    }
}
