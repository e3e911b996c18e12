package dev.echo4j.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.task.suite.TaskSuite;
import dev.echo4j.transcript.EndReason;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptJsonl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceAgentTest {

    @Test
    void replayedReferenceSolutionsSolveEveryTrainingFamily(@TempDir Path dir) {
        List<Path> tasks = TaskSuite.generate(dir.resolve("tasks"), Split.TRAIN, TaskSuite.TRAIN_FAMILIES.size(), 3);
        for (Path p : tasks) {
            Task task = Task.load(p);
            Transcript t = ReferenceAgent.play(task, SandboxConfig.defaults(), EpisodeLimits.paper());
            assertEquals(EndReason.DONE, t.endReason(), task.name());
            assertEquals(1.0, t.reward(), task.name() + ": " + TranscriptJsonl.toLine(t));
            assertTrue(t.turns() >= 2, task.name());
        }
    }

    @Test
    void hereDocumentsStayOneTurn(@TempDir Path dir) {
        Path p = TaskSuite.generate(dir, Split.TRAIN, 7, 3).get(6);
        List<String> turns = ReferenceAgent.turns(Task.load(p));
        assertEquals(3, turns.size(), turns.toString());
        assertTrue(turns.get(0).startsWith("<bash>cat > /app/") && turns.get(0).endsWith("EOF</bash>"), turns.get(0));
        assertEquals("<done/>", turns.get(2));
    }
}
