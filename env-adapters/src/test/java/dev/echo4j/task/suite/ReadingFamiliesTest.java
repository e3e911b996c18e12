package dev.echo4j.task.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.EpisodeLimits;
import dev.echo4j.env.ReferenceAgent;
import dev.echo4j.env.SandboxConfig;
import dev.echo4j.task.Task;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The families built so that reading the terminal matters: in their expert transcripts the solving command
 * names something (a file, a value, a path) that the instruction does not say and an earlier command printed,
 * and that differs between instances.
 */
class ReadingFamiliesTest {

    private static final List<String> READING = List.of("locate", "read-value", "repair", "repair-permission");

    @Test
    void theSolvingCommandCopiesWhatAnEarlierCommandPrinted(@TempDir Path dir) {
        List<Path> tasks = new java.util.ArrayList<>(TaskSuite.generate(dir.resolve("train"), Split.TRAIN, 20, 9,
                List.of("locate", "read-value", "repair")));
        tasks.addAll(TaskSuite.generate(dir.resolve("heldout"), Split.HELDOUT, 10, 9, List.of("locate")));
        int checked = 0;
        for (Path p : tasks) {
            Task task = Task.load(p);
            String family = (String) task.metadata().get("family");
            if (!READING.contains(family)) {
                continue;
            }
            Transcript t = ReferenceAgent.play(task, SandboxConfig.defaults(), EpisodeLimits.paper());
            assertEquals(1.0, t.reward(), task.name());
            List<TranscriptMessage> m = t.messages();
            String instruction = m.get(1).content();
            String solving = m.stream().filter(x -> x.role().equals("assistant")).map(TranscriptMessage::content)
                    .filter(a -> !a.contains("<done/>")).reduce((a, b) -> b).orElseThrow();
            String firstObservation = m.get(3).content();
            boolean copied = false;
            for (String arg : solving.replaceAll("<bash>|</bash>", " ").trim().split("\\s+")) {
                String file = arg.substring(arg.lastIndexOf('/') + 1);
                for (String w : List.of(arg, file, file.replaceFirst("\\.[a-z]+$", ""))) {
                    copied |= w.length() >= 3 && firstObservation.contains(w) && !instruction.contains(w) && !m.get(2).content().contains(w);
                }
            }
            assertTrue(copied, task.name() + ": '" + solving + "' copies nothing from '" + firstObservation + "'");
            checked++;
        }
        assertTrue(checked >= 8, "reading tasks checked: " + checked);
    }

    @Test
    void heldOutOnlyTrainingTasksAreNeverTheHeldOutSplitsOwn() {
        java.util.Set<Long> heldout = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            heldout.add(TaskSuite.instance(Split.HELDOUT, 7, i).seed());
        }
        for (int i = 0; i < 500; i++) {
            TaskSuite.Instance inst = TaskSuite.instance(Split.HELDOUT_ONLY, 7, i);
            assertTrue(TaskSuite.heldoutOnly(inst.family().name()), inst.name());
            assertFalse(heldout.contains(inst.seed()), inst.name());
        }
    }

    @Test
    void aRunMayTrainOnSomeFamiliesAndItsHeldOutSplitAddsTheHeldOutOnlyOnes() {
        List<String> names = TaskSuite.families(Split.HELDOUT, List.of("locate", "repair")).stream().map(TaskFamily::name).toList();
        assertEquals(List.of("csv-report", "repair-permission", "locate", "repair"), names);
        assertTrue(TaskSuite.heldoutOnly("repair-permission"));
        assertFalse(TaskSuite.heldoutOnly("repair"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TaskSuite.families(Split.TRAIN, List.of("locate", "nope")));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("read-value"), e.getMessage());
    }
}
