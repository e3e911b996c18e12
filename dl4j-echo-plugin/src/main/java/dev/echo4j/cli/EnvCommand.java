package dev.echo4j.cli;

import dev.echo4j.env.CommandResult;
import dev.echo4j.env.Observation;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.env.TerminalSession;
import dev.echo4j.task.Folders;
import dev.echo4j.task.Task;
import dev.echo4j.task.TaskFormatException;
import dev.echo4j.task.TaskSandbox;
import dev.echo4j.task.VerifierResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The terminal environment by hand: one command in a fresh sandbox, or a task's solution and verifier. */
@Command(name = "env", description = "Run commands and tasks in the sandboxed terminal environment.",
        subcommands = {EnvCommand.Exec.class, EnvCommand.RunTask.class, EnvCommand.ReplaySolutions.class})
final class EnvCommand {

    @Command(name = "exec", description = {"Run one command in a fresh sandbox and print the observation the agent would see.",
            "Example: ./echo4j env exec -- 'ls -la / && echo $HOME'"})
    static final class Exec implements Callable<Integer> {

        @Mixin
        SandboxOptions sandbox;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Wall-clock limit of the command (default: ${DEFAULT-VALUE}).")
        double timeoutSeconds = 30;

        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The shell command (several words are joined with spaces).")
        List<String> command;

        @Override
        public Integer call() throws IOException {
            if (!(timeoutSeconds > 0)) {
                System.err.println("echo4j: --timeout must be a positive number of seconds, got " + timeoutSeconds);
                return 2;
            }
            String cmd = String.join(" ", command);
            Path work = Files.createTempDirectory("echo4j-exec-", SandboxOptions.SEARCHABLE);
            try (TerminalSession s = TerminalSession.start(work, List.of(), sandbox.config())) {
                CommandResult r = s.run(cmd, Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
                System.out.println(Observation.ofCommand(cmd, r, List.of()).text());
                return 0;
            } catch (SandboxUnavailableException e) {
                return SandboxOptions.unavailable(e);
            } catch (IllegalStateException e) {
                System.err.println("echo4j: " + e.getMessage());
                return 1;
            } finally {
                Folders.deleteTree(work);
            }
        }
    }

    @Command(name = "run-task", description = {"Run a Harbor task's reference solution (or nothing), then its verifier, and print the reward.",
            "A task whose environment is a Dockerfile runs in its image, built offline on first use (see: tasks build).",
            "Exit status: 0 with the reward printed, 2 for a task that cannot run here, 3 for a verifier that could not run its tests.",
            "Example: ./echo4j env run-task tasks/0000-file-ops-1a2b --solution"})
    static final class RunTask implements Callable<Integer> {

        @Mixin
        SandboxOptions sandbox;

        @Parameters(index = "0", paramLabel = "DIR", description = "The task folder (instruction.md, task.toml, tests/test.sh, ...).")
        Path dir;

        @Option(names = "--solution", description = "Run solution/solve.sh before verifying (without it the agent does nothing).")
        boolean solution;

        @Override
        public Integer call() {
            Task task;
            try {
                task = Task.load(dir);
                if (solution) {
                    task.solutionScript();   // a missing solution is refused before the sandbox starts
                }
            } catch (TaskFormatException e) {
                return badTask(e);
            }
            Optional<String> refused = sandbox.refusal(task);
            if (refused.isPresent()) {
                System.err.println("echo4j: " + refused.get());
                return 2;
            }
            if (task.environment().internetAllowed()) {
                System.err.println("note: task.toml allows the internet (allow_internet = true); --offline runs it without");
            }
            try (TaskSandbox box = TaskSandbox.open(task, sandbox.config())) {
                if (solution) {
                    CommandResult r = box.runSolution();
                    System.err.println("solution exited " + r.exitCode() + (r.output().isEmpty() ? "" : ":\n" + r.output().stripTrailing()));
                }
                VerifierResult v = box.verify();
                System.err.println("verifier exited " + v.run().exitCode() + (v.run().output().isEmpty() ? "" : ":\n" + v.run().output().stripTrailing()));
                if (v.error()) {
                    System.err.println("echo4j: verifier error: " + v.problem() + " (no reward: the verifier's output is above)");
                    return 3;
                }
                if (v.problem() != null) {
                    System.err.println("note: " + v.problem());
                }
                System.out.println(v.reward());
                return 0;
            } catch (SandboxUnavailableException e) {
                return SandboxOptions.unavailable(e);
            } catch (TaskFormatException e) {
                return badTask(e);
            }
        }
    }

    @Command(name = "replay-solutions", description = {"Replay the reference solutions of task folders through the harness and save"
            + " the transcripts as JSON Lines (expert data for SFT and world-model evaluation).",
            "Example: ./echo4j env replay-solutions tasks/train --out transcripts/train-solutions.jsonl"})
    static final class ReplaySolutions implements Callable<Integer> {

        @Mixin
        SandboxOptions sandbox;

        @Parameters(index = "0", paramLabel = "TASKS", description = "A folder of task folders (or one task folder).")
        Path tasks;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL file to append the transcripts to.")
        Path out;

        @Option(names = "--threads", defaultValue = "2", description = "Episodes run at once (default: ${DEFAULT-VALUE}).")
        int threads;

        @Override
        public Integer call() throws Exception {
            List<Path> dirs = Task.foldersIn(tasks);
            if (dirs.isEmpty()) {
                System.err.println("echo4j: no task folders (with task.toml) in " + tasks);
                return 2;
            }
            List<Task> loaded = new java.util.ArrayList<>();
            try {
                for (Path d : dirs) {
                    Task t = Task.load(d);
                    t.solutionScript();   // every task must have a solution to replay, checked before any sandbox starts
                    loaded.add(t);
                }
            } catch (TaskFormatException e) {
                return badTask(e);
            }
            try {
                dev.echo4j.transcript.TranscriptJsonl.append(out, List.of());   // an unwritable --out fails now, not after the episodes
            } catch (java.io.UncheckedIOException e) {
                System.err.println("echo4j: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
                return 2;
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, threads));
            int solved = 0;
            try {
                List<java.util.concurrent.Future<dev.echo4j.transcript.Transcript>> futures = loaded.stream()
                        .map(t -> pool.submit(() -> dev.echo4j.env.ReferenceAgent.play(t, sandbox.config(), dev.echo4j.env.EpisodeLimits.paper())))
                        .toList();
                for (int i = 0; i < futures.size(); i++) {
                    dev.echo4j.transcript.Transcript t = futures.get(i).get();
                    dev.echo4j.transcript.TranscriptJsonl.append(out, List.of(t));
                    solved += t.reward() == 1.0 ? 1 : 0;
                    System.err.printf("[%d/%d] %s reward %.1f (%s, %d turns)%n", i + 1, dirs.size(), t.task(), t.reward(), t.endReason(), t.turns());
                }
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SandboxUnavailableException u) {
                    return SandboxOptions.unavailable(u);
                }
                if (e.getCause() instanceof TaskFormatException f) {
                    return badTask(f);
                }
                throw e;
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("%d transcripts appended to %s; %d solved%n", dirs.size(), out, solved);
            return 0;
        }
    }

    /** Reports a task that cannot run as it is (its layout, a missing solution, a failed setup) in one line. */
    private static int badTask(TaskFormatException e) {
        System.err.println("echo4j: bad task: " + e.getMessage());
        return 2;
    }
}
