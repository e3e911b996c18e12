package dev.echo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.train.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --resume} refuses, in one line and before any training, settings that would change the run; a
 * sandbox that cannot start ends a training in one line too.
 */
class TrainResumeConfigTest {

    /** The exit code and what the command printed on stderr. */
    private static Object[] runCapturingStderr(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = EchoCli.run(args);
            return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void aChangedSettingIsRefusedNamingItsKeys(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        TrainConfig.load("train-demo", List.of("steps=6")).save(run.resolve("config.yaml"));
        String saved = Files.readString(run.resolve("config.yaml"));

        Object[] r = runCapturingStderr("train", "--run", run.toString(), "--resume", "--set", "steps=30", "--set", "group_size=4",
                "--tasks-root", dir.resolve("tasks").toString());
        String err = (String) r[1];
        assertEquals(2, r[0], err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("steps 6 -> 30") && err.contains("group_size 8 -> 4") && err.contains("--allow-config-change"), err);

        r = runCapturingStderr("train", "--run", run.toString(), "--resume", "--config", "train-tiny", "--tasks-root", dir.resolve("tasks").toString());
        assertEquals(2, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("steps 6 -> 30"), (String) r[1]);
        assertEquals(saved, Files.readString(run.resolve("config.yaml")), "a refused resume leaves config.yaml as it was");
    }

    @Test
    void resumingAFolderWithoutARunIsRefused(@TempDir Path dir) {
        Object[] r = runCapturingStderr("train", "--run", dir.resolve("empty").toString(), "--resume", "--tasks-root", dir.resolve("tasks").toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("no config.yaml"), (String) r[1]);
    }

    @Test
    void aMissingSandboxIsOneLineNotAStackTrace(@TempDir Path dir) {
        Path base = Path.of(System.getProperty("echo4j.home", ".."), "zoo-configs", "checkpoints", "tiny-base");
        Object[] r = runCapturingStderr("train", "--run", dir.resolve("run").toString(), "--bwrap", "/nonexistent/bwrap",
                "--set", "base_checkpoint=" + base, "--set", "steps=1", "--set", "prompts_per_step=1", "--set", "group_size=2",
                "--set", "tasks.train_count=2", "--tasks-root", dir.resolve("tasks").toString());
        String err = (String) r[1];
        assertEquals(2, r[0], err);
        assertTrue(err.contains("echo4j: bubblewrap not found at /nonexistent/bwrap") && !err.contains("\tat "), err);
    }

    @Test
    void anAllowedChangeIsAppliedAndRecorded(@TempDir Path dir) throws Exception {
        Path base = Path.of(System.getProperty("echo4j.home", ".."), "zoo-configs", "checkpoints", "tiny-base");
        String run = dir.resolve("run").toString();
        String tasks = dir.resolve("tasks").toString();
        assertEquals(0, EchoCli.run("train", "--run", run, "--tasks-root", tasks, "--set", "base_checkpoint=" + base, "--set", "steps=1",
                "--set", "prompts_per_step=1", "--set", "group_size=2", "--set", "rollout.max_turns=1",
                "--set", "rollout.max_new_tokens=16", "--set", "tasks.train_count=2"));

        assertEquals(0, EchoCli.run("train", "--run", run, "--tasks-root", tasks, "--resume", "--set", "steps=2", "--allow-config-change"));
        assertEquals(2, TrainConfig.load(dir.resolve("run/config.yaml").toString(), List.of()).steps());
        assertEquals(List.of("{\"from_step\":1,\"changed\":{\"steps\":[1,2]}}"),
                Files.readAllLines(dir.resolve("run").resolve(TrainCommand.CONFIG_CHANGES)));
        assertEquals(2, Files.readAllLines(dir.resolve("run/metrics.jsonl")).size());
    }

    @Test
    void changesNameEveryDifferingKeyWithBothValues() {
        TrainConfig saved = TrainConfig.load("train-demo", List.of());
        TrainConfig asked = TrainConfig.load("train-demo", List.of("objective.lambda=0.01", "seed=" + saved.seed()));
        assertEquals(List.of("objective.lambda"), List.copyOf(TrainCommand.changes(saved, asked).keySet()));
        assertEquals("0.05", TrainCommand.changes(saved, asked).get("objective.lambda").get(0).asText());
        assertTrue(TrainCommand.changes(saved, saved).isEmpty());
    }
}
