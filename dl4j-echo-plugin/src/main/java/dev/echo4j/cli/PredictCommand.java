package dev.echo4j.cli;

import dev.echo4j.env.AgentProtocol;
import dev.echo4j.env.CommandResult;
import dev.echo4j.env.Observation;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.env.TerminalSession;
import dev.echo4j.serve.EngineSettings;
import dev.echo4j.serve.InferenceEngine;
import dev.echo4j.serve.WorldModel;
import dev.echo4j.task.Folders;
import dev.echo4j.tokenizer.ChatMessage;
import dev.echo4j.transcript.TokenRole;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptJsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The world model at work: the policy predicts what a command will print, and optionally is checked. */
@Command(name = "predict",
        description = {"Predict the terminal output of a command with the policy (greedy), before or without running it.",
                "With --check, also run it in a sandboxed scratch folder and print predicted vs actual and the per-token cross-entropy."},
        footer = {"", "Examples:", "  ./echo4j predict runs/echo/checkpoints/step-000030 --command 'echo hello | wc -c' --check",
                "  ./echo4j predict CKPT --command 'ls' --context runs/agent/count-sort-0003-20261124-120000.jsonl"})
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A policy checkpoint or a training checkpoint folder.")
    Path checkpoint;

    @Option(names = "--command", required = true, description = "The shell command whose output to predict.")
    String command;

    @Option(names = "--context", paramLabel = "FILE",
            description = "A transcript JSONL file; the command follows its last transcript (default: the system prompt and --instruction).")
    Path context;

    @Option(names = "--instruction", defaultValue = "Explore the working directory.",
            description = "The task the agent is told, when no --context is given (default: ${DEFAULT-VALUE}).")
    String instruction;

    @Mixin
    ConfigOptions options;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Longest prediction in tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--check", description = "Also run the command in a sandboxed scratch folder and score the actual output.")
    boolean check;

    @Option(names = "--timeout", defaultValue = "10", description = "Seconds the checked command may run (default: ${DEFAULT-VALUE}).")
    double timeoutSec;

    @Mixin
    SandboxOptions sandbox;

    @Override
    public Integer call() throws IOException {
        List<ChatMessage> messages = messages();
        try (InferenceEngine engine = InferenceEngine.load(checkpoint, new EngineSettings(1, 4))) {
            WorldModel world = new WorldModel(engine);
            WorldModel.Prediction predicted = world.predict(messages, command, maxTokens).join();
            System.out.println("--- predicted (" + predicted.tokens() + " tokens, " + predicted.finishReason().apiName() + ") ---");
            System.out.println(predicted.observation());
            if (!check) {
                return 0;
            }
            String actual;
            Path work = Files.createTempDirectory("echo4j-predict-", SandboxOptions.SEARCHABLE);
            try (TerminalSession s = TerminalSession.start(work, List.of(), sandbox.config())) {
                CommandResult r = s.run(command, Duration.ofMillis(Math.round(timeoutSec * 1000)));
                actual = Observation.ofCommand(command, r, List.of()).text(TokenRole.ENV);
            } catch (SandboxUnavailableException e) {
                return SandboxOptions.unavailable(e);
            } finally {
                Folders.deleteTree(work);
            }
            WorldModel.Score score = world.score(messages, command, actual).join();
            System.out.println("--- actual ---");
            System.out.println(actual);
            System.out.printf("--- world model ---%nexact match: %s%ncross-entropy of the actual output: %.4f nats/token over %d tokens%n",
                    predicted.observation().equals(actual) ? "yes" : "no", score.crossEntropy(), score.tokenLogProbs().length);
            return 0;
        }
    }

    private List<ChatMessage> messages() {
        if (context == null) {
            return List.of(ChatMessage.system(AgentProtocol.systemPrompt(options.load().rollout().episodeLimits())), ChatMessage.user(instruction));
        }
        List<Transcript> transcripts = TranscriptJsonl.read(context);
        if (transcripts.isEmpty()) {
            throw new IllegalArgumentException("--context " + context + " holds no transcript; give a JSONL file written by run-agent or env replay-solutions");
        }
        return transcripts.get(transcripts.size() - 1).chatMessages();
    }
}
