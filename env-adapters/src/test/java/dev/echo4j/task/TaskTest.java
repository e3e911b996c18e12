package dev.echo4j.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "FROM node:20\\nRUN true\\n => line 1: unknown base image 'node:20'",
            "FROM debian:bookworm AS build\\nRUN true\\nFROM debian:bookworm\\n => line 3: a multi-stage build",
            "FROM ubuntu:24.04\\nCOPY --from=build /out /app\\n => line 2: COPY --from",
            "FROM ubuntu:22.04\\nADD https://example.com/data.tgz /app/\\n => line 2: ADD of a URL",
            "FROM python:3.12-slim\\nCOPY requirements.txt .\\nRUN pip install --no-cache-dir -r requirements.txt\\n => line 3: RUN needs the network at build time (pip install -r",
            "FROM ubuntu:24.04\\n# a comment\\nRUN apt-get update \\\\n && curl -fsSL https://get.example.sh | sh\\n => line 3: RUN needs the network at build time (curl/wget download)",
            "FROM debian:bookworm-slim\\nWORKDIR /app\\nRUN git clone https://github.com/a/b.git\\n => line 3: RUN needs the network at build time (git clone)",
            "FROM alpine:3.19\\n => line 1: unknown base image 'alpine:3.19'",
            "FROM ghcr.io/laude-institute/t-bench/ubuntu-24-04:20250624\\nRUN pip3 install git+https://github.com/a/b.git\\n => line 2: RUN needs the network at build time ('git+https://github.com/a/b.git' is not a package name",
            "FROM node:20-slim\\nRUN npm install -g typescript\\n => line 1: unknown base image 'node:20-slim'",
            "FROM debian:bookworm\\nRUN npm install -g typescript\\n => line 2: RUN needs the network at build time (npm/yarn/pnpm install)",
            "FROM debian:bookworm\\nCOPY missing.txt /app/\\n => line 2: source 'missing.txt' is not in the build context"})
    void dockerfilesThatCannotBeBuiltOfflineAreRefusedWithTheirLine(String dockerfile, String reason) throws Exception {
        validTask();
        write("environment/requirements.txt", "numpy\n");
        write("environment/Dockerfile", dockerfile.replace("\\n", "\n"));
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(dir));
        assertEquals(dir.resolve("environment/Dockerfile").toAbsolutePath(), e.file());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void besideADockerfileSetupShIsBuildContextNotALocalSetup() throws Exception {
        validTask();
        write("environment/Dockerfile", "FROM python:3.13-slim-bookworm\nCOPY setup.sh /app/\nRUN bash /app/setup.sh\nWORKDIR /app/site\n");
        write("environment/setup.sh", "mkdir -p /app/site\n");
        Task t = Task.load(dir);
        assertTrue(t.dockerfile().isPresent());
        assertTrue(t.setupScript().isEmpty(), "the image runs it at build time; the episode must not run it again");
    }

    @Test
    void environmentTableSetsLimits() throws Exception {
        validTask();
        write("task.toml", "[agent]\ntimeout_sec = 10\n[verifier]\ntimeout_sec = 900\n[environment]\ncpus = 2\nmemory_mb = 4096\n");
        Task t = Task.load(dir);
        assertEquals(2.0, t.environment().cpus());
        assertEquals(4096, t.environment().memoryMb().getAsLong());
        assertEquals(1800, SandboxConfig.defaults().withResources(2, 4096L << 20).cpuSecondsFor(t.verifierTimeout()),
                "a 900 s verifier on 2 cores gets 1800 CPU-seconds, not the default 60");
        write("task.toml", "[agent]\ntimeout_sec = 10\n[verifier]\ntimeout_sec = 9\n[environment]\ncpus = 1\nmemory = \"8G\"\nstorage = \"10G\"\n");
        assertEquals(8192, Task.load(dir).environment().memoryMb().getAsLong(), "Terminal-Bench 2.0 writes the size as a string");
        write("task.toml", "[agent]\ntimeout_sec = 10\n[verifier]\ntimeout_sec = 9\n[environment]\nmemory = \"lots\"\n");
        assertEquals(dir.resolve("task.toml") + ": field 'environment.memory' must be a size such as \"2G\" or \"512M\", got \"lots\"",
                assertThrows(TaskFormatException.class, () -> Task.load(dir)).getMessage());
        write("task.toml", "[agent]\ntimeout_sec = 10\n[verifier]\ntimeout_sec = 9\n[environment]\nallow_internet = true\n");
        assertTrue(Task.load(dir).environment().internetAllowed(), "written into every Terminal-Bench 2.1 task; the CLI refuses it without --offline");
    }

    @Test
    void envTablesAreReadPerPhaseWithHostVariablesResolved() throws Exception {
        validTask();
        write("task.toml", "[agent]\ntimeout_sec = 10\n[verifier]\ntimeout_sec = 9\n[verifier.env]\nV = \"it's ${HOME}\"\n"
                + "[environment.env]\nE = \"${ECHO4J_TEST_SURELY_UNSET:-fallback}\"\n[solution.env]\n");
        TaskVariables v = Task.load(dir).variables();
        assertEquals(java.util.Map.of("E", "fallback"), v.environment());
        assertEquals(java.util.Map.of("V", "it's " + System.getenv("HOME")), v.verifier());
        assertEquals(java.util.Map.of(), v.solution());
        assertEquals("A='x y' B='it'\\''s' ", TaskVariables.assignments(java.util.Map.of("B", "it's", "A", "x y")));
        write("task.toml", "[agent]\ntimeout_sec = 10\n[verifier]\ntimeout_sec = 9\n[environment.env]\nKEY = \"${ECHO4J_TEST_SURELY_UNSET}\"\n");
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> Task.load(dir));
        assertTrue(e.getMessage().endsWith("[environment.env] KEY needs the host variable ECHO4J_TEST_SURELY_UNSET, which is not set:"
                + " set it, or write ${ECHO4J_TEST_SURELY_UNSET:-default}"), e.getMessage());
        write("task.toml", "[agent]\ntimeout_sec = 10\n[verifier]\ntimeout_sec = 9\n[verifier.env]\n\"A-B\" = \"x\"\n");
        assertTrue(assertThrows(TaskFormatException.class, () -> Task.load(dir)).getMessage().endsWith("[verifier.env] 'A-B' is not a variable name"));
    }

    @Test
    void aVerifierThatCannotRunItsTestsIsAnErrorNotAZero() throws Exception {
        validTask();
        write("tests/test.sh", "pytest-that-is-not-installed /tests/test_x.py\n"
                + "if [ $? -eq 0 ]; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n");
        try (TaskSandbox s = TaskSandbox.open(Task.load(dir), SandboxConfig.defaults())) {
            VerifierResult r = s.verify();
            assertTrue(r.error(), r.toString());
            assertTrue(r.problem().contains("command not found"), r.problem());
        }
        write("tests/test.sh", "echo ran\n");
        try (TaskSandbox s = TaskSandbox.open(Task.load(dir), SandboxConfig.defaults())) {
            VerifierResult r = s.verify();
            assertTrue(r.error() && r.problem().contains("wrote neither"), r.toString());
        }
        // pytest failing before any test ran (code-from-image's /app/code.py once hid the standard library's code from it)
        write("tests/test.sh", "echo 'INTERNALERROR> AttributeError: module code has no attribute InteractiveConsole'\n"
                + "echo 0 > /logs/verifier/reward.txt\n");
        try (TaskSandbox s = TaskSandbox.open(Task.load(dir), SandboxConfig.defaults())) {
            VerifierResult r = s.verify();
            assertTrue(r.error() && r.problem().contains("INTERNALERROR> AttributeError"), r.toString());
        }
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
