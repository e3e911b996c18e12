package dev.echo4j.cli;

import static dev.echo4j.cli.CliRun.runCapturingStderr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to any command ends in one line naming the problem; {@code --debug} adds the stack trace. */
class UserErrorsCliTest {

    @TempDir
    Path dir;

    @Test
    void aMissingCheckpointOrABadSettingIsOneLine() {
        String missing = dir.resolve("no-checkpoint").toString();
        for (String[] args : new String[][] {
                {"run-agent", missing, "--instruction", "ls"},
                {"eval", missing},
                {"train", "--run", dir.resolve("run").toString(), "--set", "objective.lambda=-1"},
                {"compare", "--set", "tasks.families=[nope]", "--out", dir.resolve("c").toString()}}) {
            String[] run = runCapturingStderr(args);
            String err = run[2].strip();
            assertEquals("2", run[0], String.join(" ", args) + ": " + err);
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.startsWith("echo4j: "), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        }
    }

    @Test
    void debugShowsTheStackTrace() {
        String[] run = runCapturingStderr("run-agent", dir.resolve("no-checkpoint").toString(), "--instruction", "ls", "--debug");
        assertEquals("2", run[0]);
        assertTrue(run[2].contains("IllegalArgumentException") && run[2].contains("\tat "), run[2]);
        String[] next = runCapturingStderr("run-agent", dir.resolve("no-checkpoint").toString(), "--instruction", "ls");
        assertEquals(1, next[2].strip().lines().count(), "the next run in this JVM, without --debug, is one line again: " + next[2]);
    }
}
