package dev.echo4j.task.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.task.Task;
import dev.echo4j.task.TaskSandbox;
import dev.echo4j.task.VerifierResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSuiteTest {

    private static final int SEEDS_PER_FAMILY = 3;

    @TempDir
    Path out;

    @Test
    void referenceSolutionScoresOneAndDoingNothingScoresZeroForEveryFamilyOverSeveralSeeds() {
        int count = TaskSuite.families(Split.HELDOUT).size() * SEEDS_PER_FAMILY;
        List<Path> dirs = TaskSuite.generate(out.resolve("heldout"), Split.HELDOUT, count, 11);
        dirs = new java.util.ArrayList<>(dirs);
        dirs.addAll(TaskSuite.generate(out.resolve("train"), Split.TRAIN, TaskSuite.TRAIN_FAMILIES.size() * 2, 5));
        Set<String> families = new HashSet<>();
        for (Path dir : dirs) {
            Task task = Task.load(dir);
            families.add((String) task.metadata().get("family"));
            try (TaskSandbox nothing = TaskSandbox.open(task, SandboxConfig.defaults())) {
                VerifierResult r = nothing.verify();
                assertEquals(0.0, r.reward(), task.name() + " must fail when nothing is done: " + r.run().output());
            }
            try (TaskSandbox solved = TaskSandbox.open(task, SandboxConfig.defaults())) {
                assertEquals(0, solved.runSolution().exitCode(), task.name());
                VerifierResult r = solved.verify();
                assertEquals(1.0, r.reward(), task.name() + " reference solution must pass: " + r.run().output());
            }
        }
        assertEquals(TaskSuite.TRAIN_FAMILIES.size() + TaskSuite.HELDOUT_ONLY_FAMILIES.size(), families.size(), "all families were exercised: " + families);
    }

    @Test
    void heldoutHasUnseenSeedsAndAFamilyNeverTrainedOn() {
        Set<String> trainFamilies = TaskSuite.families(Split.TRAIN).stream().map(TaskFamily::name).collect(Collectors.toSet());
        Set<String> heldoutFamilies = TaskSuite.families(Split.HELDOUT).stream().map(TaskFamily::name).collect(Collectors.toSet());
        assertTrue(trainFamilies.size() >= 7);
        assertFalse(trainFamilies.containsAll(heldoutFamilies), "held-out split has a family training never sees");
        Set<Long> trainSeeds = new HashSet<>();
        for (long suite = 0; suite < 5; suite++) {
            for (int i = 0; i < 200; i++) {
                trainSeeds.add(TaskSuite.instance(Split.TRAIN, suite, i).seed());
            }
        }
        for (long suite = 0; suite < 5; suite++) {
            for (int i = 0; i < 200; i++) {
                assertFalse(trainSeeds.contains(TaskSuite.instance(Split.HELDOUT, suite, i).seed()));
            }
        }
        assertEquals("csv-report", TaskSuite.instance(Split.HELDOUT, 1, 0).family().name());
    }

    @Test
    void generationIsReproducibleAndSeedsDiffer() throws Exception {
        Path a = TaskSuite.generate(out.resolve("a"), Split.TRAIN, 3, 42).get(2);
        Path b = TaskSuite.generate(out.resolve("b"), Split.TRAIN, 3, 42).get(2);
        Path c = TaskSuite.generate(out.resolve("c"), Split.TRAIN, 3, 43).get(2);
        assertEquals(Files.readString(a.resolve("instruction.md")), Files.readString(b.resolve("instruction.md")));
        assertEquals(Files.readString(a.resolve("tests/test.sh")), Files.readString(b.resolve("tests/test.sh")));
        assertNotEquals(Files.readString(a.resolve("tests/test.sh")), Files.readString(c.resolve("tests/test.sh")));
        assertTrue(Files.isExecutable(a.resolve("solution/solve.sh")));
    }
}
