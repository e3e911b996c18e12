package dev.echo4j.cli;

import static dev.echo4j.cli.CliRun.runCapturingStderr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's mistake with an {@code env} command ends in one line saying what is wrong, never a stack trace,
 * and what can be checked before a sandbox starts is: those cases run with a bubblewrap that does not exist,
 * so a check made too late would complain about bubblewrap instead.
 */
class EnvUserErrorsCliTest {

    private static final String NO_BWRAP = "/nonexistent/bwrap";

    @TempDir
    Path dir;

    @Test
    void runTaskWithoutASolutionIsRefusedBeforeTheSandboxStarts() throws IOException {
        Path task = task("no-solution");
        String line = oneLineError(runCapturingStderr("env", "run-task", task.toString(), "--solution", "--bwrap", NO_BWRAP));
        assertTrue(line.contains("solution/solve.sh") && line.contains("no reference solution"), line);
    }

    @Test
    void replaySolutionsChecksEveryTaskBeforeTheSandboxStarts() throws IOException {
        Files.writeString(task("a-solved").resolve("solution/solve.sh"), "echo 1\n");
        task("b-unsolved");
        String line = oneLineError(runCapturingStderr("env", "replay-solutions", dir.toString(), "--out", dir.resolve("t.jsonl").toString(),
                "--bwrap", NO_BWRAP));
        assertTrue(line.contains("b-unsolved/solution/solve.sh"), line);
        Files.writeString(dir.resolve("b-unsolved/solution/solve.sh"), "echo 1\n");
        line = oneLineError(runCapturingStderr("env", "replay-solutions", dir.toString(), "--out", dir.toString(), "--bwrap", NO_BWRAP));
        assertTrue(line.contains("cannot write transcripts to " + dir), line);
    }

    @Test
    void aMissingTaskFolderOrABadTimeoutIsOneLine() {
        String missing = dir.resolve("nowhere").toString();
        assertTrue(oneLineError(runCapturingStderr("env", "run-task", missing)).contains("not a task folder"));
        assertTrue(oneLineError(runCapturingStderr("env", "replay-solutions", missing, "--out", dir.resolve("t.jsonl").toString()))
                .contains("no task folders"));
        assertTrue(oneLineError(runCapturingStderr("env", "exec", "--timeout", "0", "--", "true")).contains("--timeout"));
    }

    @Test
    void aTaskWhoseSetupFailsIsOneLineWithTheSetupsLastWords() throws IOException {
        Path task = task("failing-setup");
        Files.writeString(task.resolve("environment/setup.sh"), "echo preparing\necho 'cannot find the fixture' >&2\nexit 3\n");
        String line = oneLineError(runCapturingStderr("env", "run-task", task.toString()));
        assertTrue(line.contains("environment/setup.sh") && line.contains("exit 3") && line.contains("cannot find the fixture"), line);
    }

    @Test
    void aDockerfileThatNeedsTheNetworkIsRefusedInOneLineBeforeAnythingIsBuilt() throws IOException {
        Path task = task("needs-network");
        Files.writeString(task.resolve("environment/Dockerfile"), "FROM ubuntu:24.04\n\nRUN curl -fsSL https://example.com/install.sh | bash\n");
        String line = oneLineError(runCapturingStderr("env", "run-task", task.toString(), "--bwrap", NO_BWRAP));
        assertTrue(line.contains("environment/Dockerfile: line 3: RUN needs the network at build time (curl/wget download)"), line);
        String[] build = runCapturingStderr("tasks", "build", dir.toString());
        assertEquals("1", build[0], build[2]);
        assertTrue(build[1].startsWith("0 built, 0 already built, 0 without a Dockerfile, 1 refused"), build[1]);
        assertTrue(build[1].contains("refused: needs-network: ") && build[1].contains("line 3: RUN needs the network"), build[1]);
    }

    @Test
    void aTaskThatAllowsTheInternetIsRefusedUnlessOfflineIsAccepted() throws IOException {
        Path task = task("allows-internet");
        Files.writeString(task.resolve("task.toml"), "[agent]\ntimeout_sec = 30\n\n[verifier]\ntimeout_sec = 30\n\n[environment]\nallow_internet = true\n");
        String line = oneLineError(runCapturingStderr("env", "run-task", task.toString(), "--bwrap", NO_BWRAP));
        assertEquals("echo4j: allows-internet: task.toml allows the internet (allow_internet = true), which echo4j's sandbox never has;"
                + " add --offline to run it without (what it fetches at run time then fails)", line);
        String[] offline = runCapturingStderr("env", "run-task", task.toString(), "--offline");
        assertEquals("0", offline[0], offline[2]);
        assertEquals("1.0\n", offline[1]);
    }

    /** The error line of a run that failed with exit code 2 and said nothing else. */
    private static String oneLineError(String[] run) {
        String err = run[2].strip();
        assertEquals("2", run[0], err);
        assertEquals("", run[1]);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("echo4j: "), err);
        assertFalse(err.contains("Exception"), err);
        return err;
    }

    /** A valid task folder without a solution, with an empty environment folder to add a setup to. */
    private Path task(String name) throws IOException {
        Path t = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(t.resolve("tests"));
        Files.createDirectories(t.resolve("environment"));
        Files.createDirectories(t.resolve("solution"));
        Files.writeString(t.resolve("instruction.md"), "Do nothing.\n");
        Files.writeString(t.resolve("task.toml"), "[agent]\ntimeout_sec = 30\n\n[verifier]\ntimeout_sec = 30\n");
        Files.writeString(t.resolve("tests/test.sh"), "echo 1 > /logs/verifier/reward.txt\n");
        return t;
    }
}
