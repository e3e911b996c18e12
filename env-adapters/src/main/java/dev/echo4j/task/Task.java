package dev.echo4j.task;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.echo4j.image.ImageRecipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A task in the Harbor / Terminal-Bench 2 layout, checked when loaded:
 * <pre>
 * instruction.md           what the agent is asked to do
 * task.toml                [agent] timeout_sec, [verifier] timeout_sec, optional [metadata]
 * tests/test.sh            the verifier: writes /logs/verifier/reward.txt (a number) or reward.json ({"reward": x})
 * solution/solve.sh        optional reference solution
 * environment/Dockerfile   optional: the task's image, built offline from Debian packages (see ImageRecipe);
 *                          environment/ is then its build context and nothing else of it is used directly
 * environment/app/         without a Dockerfile: files copied into /app before the episode
 * environment/setup.sh     without a Dockerfile: run in the sandbox, in /app, before the agent starts
 * </pre>
 * {@code [environment]} may set cpus, memory_mb (or Terminal-Bench 2.0's {@code memory = "4G"}), build_timeout_sec and allow_internet (the sandbox is offline
 * whatever it says; see {@link TaskEnvironment}); {@code [environment.env]}, {@code [verifier.env]} and
 * {@code [solution.env]} set variables ({@link TaskVariables}). A Dockerfile echo4j cannot build offline is refused here, with
 * its line and the reason.
 */
public record Task(Path dir, String name, String instruction, Duration agentTimeout, Duration verifierTimeout,
                   Map<String, Object> metadata, Path testsDir, Optional<Path> solution, Optional<Path> appFiles,
                   Optional<Path> setupScript, Optional<Path> dockerfile, TaskEnvironment environment, TaskVariables variables) {

    private static final ObjectMapper TOML = new TomlMapper();
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT])(?:i?B)?", Pattern.CASE_INSENSITIVE);

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
        Optional<Path> dockerfile = Optional.of(env.resolve("Dockerfile")).filter(Files::isRegularFile);
        // Beside a Dockerfile, environment/ is its build context (a setup.sh there is the image's, run by a RUN line).
        Optional<Path> app = Optional.of(env.resolve("app")).filter(f -> dockerfile.isEmpty() && Files.isDirectory(f));
        Optional<Path> setup = Optional.of(env.resolve("setup.sh")).filter(f -> dockerfile.isEmpty() && Files.isRegularFile(f));
        TaskEnvironment environment = environment(tomlFile, toml.path("environment"));
        dockerfile.ifPresent(ImageRecipe::of);
        Optional<Path> solution = Optional.of(dir.resolve("solution/solve.sh")).filter(Files::isRegularFile);
        return new Task(dir, dir.getFileName().toString(), instruction, agentTimeout, verifierTimeout, metadata, tests, solution, app, setup,
                dockerfile, environment, TaskVariables.of(tomlFile, toml, System::getenv));
    }

    /**
     * The reference solution, {@code solution/solve.sh}. Callers that need one ask here, so that a task without
     * it is refused in the same words before anything runs.
     */
    public Path solutionScript() {
        return solution.orElseThrow(() -> new TaskFormatException(dir.resolve("solution/solve.sh"),
                "missing: this task has no reference solution"));
    }

    /** The task folders {@code path} names: itself when it holds a task.toml, else its sub-folders that do (sorted). */
    public static List<Path> foldersIn(Path path) {
        if (Files.isRegularFile(path.resolve("task.toml"))) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("task.toml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    /** tests/test.sh as the verifier runs it: a Terminal-Bench 2 script rewritten to run offline, any other as it is. */
    public OfflineScript offlineTestScript() {
        return OfflineScript.of(read(testsDir.resolve("test.sh")));
    }

    /** solution/solve.sh as it runs offline (its apt-get and pip lines dropped, their packages in the image), if there is one. */
    public Optional<OfflineScript> offlineSolution() {
        return solution.map(s -> OfflineScript.of(read(s)));
    }

    /** The Debian packages the task's image gets for its verifier and its reference solution (see {@link OfflineScript}). */
    public List<String> scriptPackages() {
        LinkedHashSet<String> all = new LinkedHashSet<>(offlineTestScript().packages());
        offlineSolution().ifPresent(s -> all.addAll(s.packages()));
        return List.copyOf(all);
    }

    private static TaskEnvironment environment(Path file, JsonNode table) {
        if (table.isMissingNode()) {
            return TaskEnvironment.DEFAULTS;
        }
        double cpus = number(file, table, "cpus", TaskEnvironment.DEFAULTS.cpus());
        double memory = table.has("memory") && !table.has("memory_mb") ? megabytes(file, table.path("memory")) : number(file, table, "memory_mb", -1);
        double build = number(file, table, "build_timeout_sec", TaskEnvironment.DEFAULTS.buildTimeout().toSeconds());
        try {
            return new TaskEnvironment(cpus, memory < 0 ? OptionalLong.empty() : OptionalLong.of(Math.round(memory)),
                    Duration.ofMillis(Math.round(build * 1000)), table.path("allow_internet").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new TaskFormatException(file, "[environment] " + e.getMessage());
        }
    }

    /** Terminal-Bench 2.0's {@code memory = "2G"} (Harbor's older field, before memory_mb) in megabytes. */
    private static double megabytes(Path file, JsonNode memory) {
        Matcher m = SIZE.matcher(memory.asText().strip());
        if (!memory.isTextual() || !m.matches()) {
            throw new TaskFormatException(file, "field 'environment.memory' must be a size such as \"2G\" or \"512M\", got " + memory);
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> -10;
            case "G" -> 10;
            case "T" -> 20;
            default -> 0;
        };
        return Double.parseDouble(m.group(1)) * Math.pow(2, shift);
    }

    private static double number(Path file, JsonNode table, String field, double fallback) {
        JsonNode n = table.path(field);
        if (n.isMissingNode()) {
            return fallback;
        }
        if (!n.isNumber() || n.asDouble() <= 0) {
            throw new TaskFormatException(file, "field 'environment." + field + "' must be a positive number, got " + n);
        }
        return n.asDouble();
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
