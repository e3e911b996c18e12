package dev.echo4j.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task sets shared by runs in several processes (an evaluation and a training run started together). */
class TaskSetsTest {

    @Test
    void aSetAnotherProcessFinishedFirstIsKeptNotAnError(@TempDir Path root) throws Exception {
        List<Task> first = TaskSets.prepare(root, Split.HELDOUT, 3, 7);
        Path dir = first.get(0).dir().getParent();
        TaskSets.generate(dir, Split.HELDOUT, 3, 7, List.of());   // the loser of the race: its move meets a complete set
        assertEquals(first.stream().map(t -> t.dir().getFileName()).toList(),
                TaskSets.prepare(root, Split.HELDOUT, 3, 7).stream().map(t -> t.dir().getFileName()).toList());
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(List.of(dir), left.toList(), "the loser's staging folder is removed");
        }
    }
}
