package dev.echo4j.task;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A task in the Harbor / Terminal-Bench 2 layout, checked when loaded:
 * <pre>
 * instruction.md           what the agent is asked to do
 * task.toml                [agent] timeout_sec, [verifier] timeout_sec, optional [metadata]
 * tests/test.sh            the verifier: writes /logs/verifier/reward.txt (a number) or reward.json ({"reward": x})
 * solution/solve.sh        optional reference solution
 * environment/app/         optional: files copied into /app before the episode (local sandboxes)
 * environment/setup.sh     optional: run in the sandbox, in /app, before the agent starts (local sandboxes)
 * </pre>
 * A task whose environment is only a Dockerfile needs a container runtime and is rejected.
 */
public record Task(Path dir, String name, String instruction, Duration agentTimeout, Duration verifierTimeout,
                   Map<String, Object> metadata, Path testsDir, Optional<Path> solution, Optional<Path> appFiles,
                   Optional<Path> setupScript) {

    private static final ObjectMapper TOML = new TomlMapper();

    public Task {
        metadata = Map.copyOf(metadata);
    }

    public static Task load(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new TaskFormatException(dir, "not a task folder (it does not exist or is not a folder)");
        }
        Path instructionFile = dir.resolve("instruction.md");
        if (!Files.isRegularFile(instructionFile)) {
            throw new TaskFormatException(instructionFile, "missing: every task needs instruction.md with what the agent must do");
        }
        String instruction = read(instructionFile).strip();
        if (instruction.isEmpty()) {
            throw new TaskFormatException(instructionFile, "is empty: write the task's instruction in it");
        }
        Path tomlFile = dir.resolve("task.toml");
        if (!Files.isRegularFile(tomlFile)) {
            throw new TaskFormatException(tomlFile, "missing: every task needs task.toml with [agent] timeout_sec and [verifier] timeout_sec");
        }
        JsonNode toml;
        try {
            toml = TOML.readTree(tomlFile.toFile());
        } catch (JacksonException e) {
            throw new TaskFormatException(tomlFile, "is not valid TOML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Duration agentTimeout = timeout(tomlFile, toml, "agent");
        Duration verifierTimeout = timeout(tomlFile, toml, "verifier");
        Map<String, Object> metadata = Map.of();
        JsonNode meta = toml.path("metadata");
        if (!meta.isMissingNode()) {
            if (!meta.isObject()) {
                throw new TaskFormatException(tomlFile, "field 'metadata' must be a table ([metadata]), got " + meta.getNodeType());
            }
            metadata = TOML.convertValue(meta, TOML.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        }
        Path tests = dir.resolve("tests");
        if (!Files.isRegularFile(tests.resolve("test.sh"))) {
            throw new TaskFormatException(tests.resolve("test.sh"), "missing: the verifier script tests/test.sh must write /logs/verifier/reward.txt or reward.json");
        }
        Path env = dir.resolve("environment");
        Optional<Path> app = Optional.of(env.resolve("app")).filter(Files::isDirectory);
        Optional<Path> setup = Optional.of(env.resolve("setup.sh")).filter(Files::isRegularFile);
        if (Files.isRegularFile(env.resolve("Dockerfile")) && app.isEmpty() && setup.isEmpty()) {
            throw new TaskFormatException(env.resolve("Dockerfile"), "this task's environment is only a Dockerfile, which needs a container"
                    + " runtime; the local sandbox cannot build it. Add environment/setup.sh (and/or environment/app/) to run it locally.");
        }
        Optional<Path> solution = Optional.of(dir.resolve("solution/solve.sh")).filter(Files::isRegularFile);
        return new Task(dir, dir.getFileName().toString(), instruction, agentTimeout, verifierTimeout, metadata, tests, solution, app, setup);
    }

    /**
     * The reference solution, {@code solution/solve.sh}. Callers that need one ask here, so that a task without
     * it is refused in the same words before anything runs.
     */
    public Path solutionScript() {
        return solution.orElseThrow(() -> new TaskFormatException(dir.resolve("solution/solve.sh"),
                "missing: this task has no reference solution"));
    }

    private static Duration timeout(Path file, JsonNode toml, String table) {
        JsonNode t = toml.path(table).path("timeout_sec");
        if (t.isMissingNode()) {
            throw new TaskFormatException(file, "missing field '" + table + ".timeout_sec': add [" + table + "] timeout_sec = SECONDS");
        }
        if (!t.isNumber() || t.asDouble() <= 0) {
            throw new TaskFormatException(file, "field '" + table + ".timeout_sec' must be a positive number of seconds, got " + t);
        }
        return Duration.ofMillis(Math.round(t.asDouble() * 1000));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
