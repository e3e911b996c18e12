package dev.echo4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.echo4j.train.MetricsLog;
import dev.echo4j.transcript.TranscriptJsonl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code echo4j train} processes (this module's classpath, a fresh JVM each) interrupted as users
 * interrupt them: a {@code kill -9} mid-run followed by the README's {@code train --run DIR --resume}, and
 * a Ctrl-C, sent as a terminal sends it, to the whole process group. Tiny runs from the shipped base policy;
 * every wait is for a file or an exit, with generous limits, never a measured duration.
 */
class InterruptedTrainingTest {

    private static final Path BASE = Path.of(System.getProperty("echo4j.home", ".."), "zoo-configs", "checkpoints", "tiny-base")
            .toAbsolutePath().normalize();
    private static final long LIMIT_MINUTES = 15;

    /** {@code train --run DIR} with a miniature config, then any further arguments. */
    private static List<String> train(Path home, Path run, int steps, int checkpointEvery, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--run", run.toString(), "--config", "train-tiny",
                "--set", "base_checkpoint=" + BASE, "--set", "steps=" + steps, "--set", "checkpoint_every=" + checkpointEvery,
                "--set", "prompts_per_step=2", "--set", "group_size=2", "--set", "rollout.max_turns=2",
                "--set", "rollout.max_new_tokens=32", "--set", "rollout.max_sequence_tokens=1024", "--set", "tasks.train_count=4"));
        args.addAll(List.of(more));
        return args;
    }

    /** {@code java ... EchoCli args} in its own session and process group, as a shell job is; output to files in {@code home}. */
    private static Process start(Path home, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Djava.awt.headless=true", "-Decho4j.home=" + home, "-cp", System.getProperty("java.class.path"),
                "dev.echo4j.cli.EchoCli"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(home.resolve(name + ".out").toFile())
                .redirectError(home.resolve(name + ".err").toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    private static List<Long> loggedSteps(Path run) throws IOException {
        return MetricsLog.read(run.resolve("metrics.jsonl")).stream().map(r -> ((Number) r.get("step")).longValue()).toList();
    }

    /** Waits until {@code condition} holds; fails, with the process's stderr, if it exits first or the limit passes. */
    private static void awaitWhileRunning(Process process, Path home, String name, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(LIMIT_MINUTES);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + " too early:\n" + stderr(home, name));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                fail(name + " did not get there within " + LIMIT_MINUTES + " minutes:\n" + stderr(home, name));
            }
            Thread.sleep(200);
        }
    }

    private static int exitCode(Process process, Path home, String name) throws Exception {
        if (!process.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(name + " did not exit within " + LIMIT_MINUTES + " minutes:\n" + stderr(home, name));
        }
        return process.exitValue();
    }

    private static String stderr(Path home, String name) throws IOException {
        return Files.readString(home.resolve(name + ".err"), StandardCharsets.UTF_8);
    }

    private static BooleanSupplier atLeastSteps(Path run, int n) {
        return () -> {
            try {
                return loggedSteps(run).size() >= n;
            } catch (IOException e) {
                return false;   // a line being written
            }
        };
    }

    private static String latest(Path run) throws IOException {
        return Files.readString(run.resolve("checkpoints").resolve("latest"), StandardCharsets.UTF_8).trim();
    }

    @Test
    void killedMidRunThenResumedWithTheReadmeCommandEndsAtItsOwnLastStep(@TempDir Path home) throws Exception {
        Path run = home.resolve("run");
        Process first = start(home, "first", train(home, run, 5, 2));
        awaitWhileRunning(first, home, "first", atLeastSteps(run, 3));
        first.destroyForcibly();   // SIGKILL: no handler runs
        first.waitFor();
        assertTrue(loggedSteps(run).size() < 5, "killed before its last step: " + loggedSteps(run));
        String config = Files.readString(run.resolve("config.yaml"), StandardCharsets.UTF_8);

        Process resumed = start(home, "resumed", List.of("train", "--run", run.toString(), "--resume"));
        assertEquals(0, exitCode(resumed, home, "resumed"), stderr(home, "resumed"));

        assertEquals(LongStream.rangeClosed(1, 5).boxed().toList(), loggedSteps(run), "every step's metrics exactly once");
        assertEquals(5 * 2 * 2, TranscriptJsonl.read(run.resolve("transcripts.jsonl")).size(), "every step's 2 x 2 transcripts exactly once");
        assertEquals("step-000005", latest(run));
        assertEquals(config, Files.readString(run.resolve("config.yaml"), StandardCharsets.UTF_8), "the run's config is unchanged");
    }

    @Test
    void ctrlCFinishesTheStepSavesAndExitsCleanly(@TempDir Path home) throws Exception {
        assumeFalse(ignoresSigint(), "this JVM ignores SIGINT (started in the background without job control), so its children cannot receive it");
        Path run = home.resolve("run");
        int steps = 50;
        Process training = start(home, "training", train(home, run, steps, 0));
        awaitWhileRunning(training, home, "training", atLeastSteps(run, 1));
        new ProcessBuilder("kill", "-INT", "--", "-" + training.pid()).inheritIO().start().waitFor();   // Ctrl-C: the whole group

        int code = exitCode(training, home, "training");
        String err = stderr(home, "training");
        assertEquals(130, code, err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace:\n" + err);
        assertTrue(err.contains("--resume"), "says how to continue:\n" + err);
        List<Long> logged = loggedSteps(run);
        assertTrue(logged.size() < steps, "stopped after the step it was in, not at the end: " + logged);
        assertEquals(LongStream.rangeClosed(1, logged.size()).boxed().toList(), logged);
        assertEquals(String.format("step-%06d", logged.size()), latest(run), "a checkpoint of the last finished step");
    }

    /** Whether SIGINT is ignored in this process, and so in every child it starts (/proc/self/status, SigIgn bit 2). */
    private static boolean ignoresSigint() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & 2) != 0);
    }
}
