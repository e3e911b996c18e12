package dev.echo4j.cli;

import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.env.StepResult;
import dev.echo4j.model.Checkpoint;
import dev.echo4j.rollout.Rollout;
import dev.echo4j.rollout.RolloutCollector;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.task.Folders;
import dev.echo4j.task.Task;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.tokenizer.Tokenizer;
import dev.echo4j.train.TrainingCheckpoints;
import dev.echo4j.transcript.TranscriptJsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One episode of the policy on a task, printed turn by turn as it is played. */
@Command(name = "run-agent",
        description = {"Run a checkpoint as an agent in the sandbox on a Harbor task folder (or a bare instruction), printing each",
                "command and observation as it happens, then the verifier's reward; the transcript is saved as JSONL.",
                "The episode's token window is the model's max_position_embeddings unless --set rollout.max_sequence_tokens=N",
                "says otherwise; a task whose opening (system prompt and instruction) leaves no room for a turn is refused before it starts."},
        footer = {"", "Examples:", "  ./echo4j run-agent runs/echo/checkpoints/step-000030 --task runs/tasks/heldout/count-sort-0003",
                "  ./echo4j run-agent zoo-configs/checkpoints/tiny-base --instruction 'Create hello.txt containing hi' --set rollout.max_turns=8"})
final class RunAgentCommand implements Callable<Integer> {

    static final class Target {
        @Option(names = "--task", paramLabel = "DIR", description = "A Harbor-format task folder (instruction.md, task.toml, tests/test.sh).")
        Path task;

        @Option(names = "--instruction", paramLabel = "TEXT", description = "A bare instruction, run in an empty scratch folder (no verifier).")
        String instruction;
    }

    @Parameters(index = "0", description = "A policy checkpoint or a training checkpoint folder.")
    Path checkpoint;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Mixin
    ConfigOptions options;

    @Option(names = "--temperature", defaultValue = "0", description = "Sampling temperature, 0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--transcript", paramLabel = "FILE",
            description = "JSONL file the transcript is appended to (default: runs/agent/<task>-<time>.jsonl).")
    Path transcript;

    @Mixin
    SandboxOptions sandbox;

    @Override
    public Integer call() throws IOException {
        Checkpoint.Loaded loaded = Checkpoint.load(TrainingCheckpoints.policyDir(checkpoint));
        Path scratch = target.task != null ? null : Files.createTempDirectory("echo4j-scratch-", SandboxOptions.SEARCHABLE);
        try {
            Task task = scratch == null ? Task.load(target.task) : ScratchTask.create(scratch, target.instruction, 600);
            Optional<String> refused = sandbox.refusal(task);
            if (refused.isPresent()) {
                System.err.println("echo4j: " + refused.get());
                return 2;
            }
            RolloutSettings settings = ModelWindow.config(options, loaded).rollout();
            return play(loaded, task, settings);
        } finally {
            if (scratch != null) {
                Folders.deleteTree(scratch);
            }
        }
    }

    private int play(Checkpoint.Loaded loaded, Task task, RolloutSettings settings) {
        ChatTemplate template = new ChatTemplate(loaded.tokenizer());
        List<Integer> stops = List.of(template.endOfTurnId(), loaded.tokenizer().specialId(Tokenizer.END_OF_TEXT));
        SamplingConfig sampling = new SamplingConfig(temperature, 1, 0, seed, settings.maxNewTokens(), stops);
        Optional<String> tooLong = ModelWindow.tooLong(task, template, settings);
        if (tooLong.isPresent()) {
            System.err.println(tooLong.get());
            return 2;
        }
        Rollout rollout;
        try (RolloutCollector collector = new RolloutCollector(new KvCacheDecoder(loaded.model()), template, sandbox.config(), settings)) {
            int opening = collector.openingTokens(task);
            System.out.println("task " + task.name() + ": " + task.instruction());
            System.out.println("(window " + settings.maxSequenceTokens() + " tokens, " + opening + " of them the system prompt and instruction)");
            rollout = collector.collect(List.of(task), 1, sampling, new Printer()).get(0);
        } catch (SandboxUnavailableException e) {
            return SandboxOptions.unavailable(e);
        }
        System.out.println("episode ended: " + rollout.endReason() + " after " + rollout.transcript().turns() + " turns"
                + (rollout.truncated() ? " (context full)" : ""));
        System.out.println(ScratchTask.isScratch(task) ? "reward: none (a bare instruction has no verifier)" : "reward: " + rollout.reward());
        Path out = transcript != null ? transcript
                : Path.of("runs", "agent", task.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".jsonl");
        TranscriptJsonl.append(out, List.of(rollout.transcript()));
        System.err.println("transcript appended to " + out);
        return 0;
    }

    /** Prints turns as they come; one episode, so no interleaving. */
    private static final class Printer implements RolloutCollector.TurnObserver {
        private int turn;

        @Override
        public void action(int episode, String text) {
            System.out.printf("%n--- turn %d: agent ---%n%s%n", ++turn, text.strip());
            System.out.flush();
        }

        @Override
        public void observation(int episode, StepResult result) {
            String text = result.observation().text();
            if (!text.isEmpty()) {
                System.out.printf("--- turn %d: terminal ---%n%s%n", turn, text.strip());
                System.out.flush();
            }
        }
    }
}
