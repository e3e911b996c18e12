package dev.echo4j.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskTest {

    @TempDir
    Path dir;

    private void write(String path, String content) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void validTask() throws Exception {
        write("instruction.md", "Write hello to /app/out.txt\n");
        write("task.toml", """
                version = "1.0"
                [metadata]
                difficulty = "easy"
                tags = ["io"]
                [agent]
                timeout_sec = 120
                [verifier]
                timeout_sec = 30.5
                """);
        write("tests/test.sh", "grep -qx hello /app/out.txt && echo 1 > /logs/verifier/reward.txt || echo 0 > /logs/verifier/reward.txt\n");
        write("solution/solve.sh", "echo hello > /app/out.txt\n");
    }

    @Test
    void loadsAHarborTask() throws Exception {
        validTask();
        Task t = Task.load(dir);
        assertEquals("Write hello to /app/out.txt", t.instruction());
        assertEquals(Duration.ofSeconds(120), t.agentTimeout());
        assertEquals(Duration.ofMillis(30500), t.verifierTimeout());
        assertEquals("easy", t.metadata().get("difficulty"));
        assertTrue(t.solution().isPresent());
    }

    @Test
    void malformedTomlNamesTheFile() throws Exception {
        validTask();
        write("task.toml", "[agent\ntimeout_sec = 1\n");
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(dir));
        assertEquals(dir.resolve("task.toml").toAbsolutePath(), e.file());
        assertTrue(e.getMessage().contains("not valid TOML"), e.getMessage());
    }

    @Test
    void missingOrBadTimeoutNamesTheField() throws Exception {
        validTask();
        write("task.toml", "[agent]\ntimeout_sec = 10\n");
        assertTrue(assertThrows(TaskFormatException.class, () -> Task.load(dir)).getMessage().contains("'verifier.timeout_sec'"));
        write("task.toml", "[agent]\ntimeout_sec = \"ten\"\n[verifier]\ntimeout_sec = 5\n");
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(dir));
        assertTrue(e.getMessage().contains("'agent.timeout_sec' must be a positive number") && e.getMessage().contains("ten"), e.getMessage());
    }

    @Test
    void missingInstructionOrTestsIsRejected() throws Exception {
        validTask();
        Files.delete(dir.resolve("instruction.md"));
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(dir));
        assertTrue(e.getMessage().contains("instruction.md") && e.getMessage().contains("missing"), e.getMessage());
        validTask();
        Files.delete(dir.resolve("tests/test.sh"));
        assertTrue(assertThrows(TaskFormatException.class, () -> Task.load(dir)).getMessage().contains("tests/test.sh"));
    }

    @Test
    void dockerfileOnlyEnvironmentNeedsAContainerRuntime() throws Exception {
        validTask();
        write("environment/Dockerfile", "FROM ubuntu:24.04\n");
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(dir));
        assertTrue(e.getMessage().contains("needs a container runtime"), e.getMessage());
        write("environment/setup.sh", "echo prepared > /app/ready.txt\n");
        assertTrue(Task.load(dir).setupScript().isPresent(), "a setup script makes it runnable locally");
    }

    @Test
    void setupRunsBeforeTheAgentTestsArriveOnlyAfterAndRewardJsonIsRead() throws Exception {
        validTask();
        write("environment/setup.sh", "echo prepared > /app/ready.txt\n");
        write("tests/test.sh", "test -f /app/ready.txt && echo '{\"reward\": 0.75}' > /logs/verifier/reward.json\n");
        Task task = Task.load(dir);
        try (TaskSandbox s = TaskSandbox.open(task, SandboxConfig.defaults())) {
            assertEquals("prepared\n", s.session().run("cat /app/ready.txt").output());
            assertEquals("", s.session().run("ls -A /tests").output(), "the agent never sees the tests");
            s.session().run("mkdir -p /logs/verifier && echo 1 > /logs/verifier/reward.txt");
            VerifierResult r = s.verify();
            assertEquals(0.75, r.reward(), "a reward the agent planted is cleared before verification: " + r);
        }
    }

    @Test
    void verifierTimeoutGivesZero() throws Exception {
        validTask();
        write("task.toml", "[agent]\ntimeout_sec = 10\n[verifier]\ntimeout_sec = 0.5\n");
        write("tests/test.sh", "sleep 30; echo 1 > /logs/verifier/reward.txt\n");
        try (TaskSandbox s = TaskSandbox.open(Task.load(dir), SandboxConfig.defaults())) {
            VerifierResult r = s.verify();
            assertEquals(0.0, r.reward());
            assertTrue(r.problem().contains("timeout"), r.problem());
        }
    }
}
