package dev.echo4j.env;

import dev.echo4j.task.Task;
import dev.echo4j.task.TaskSandbox;
import dev.echo4j.task.VerifierResult;
import dev.echo4j.tokenizer.ChatMessage;
import dev.echo4j.transcript.EndReason;
import dev.echo4j.transcript.Segment;
import dev.echo4j.transcript.Timings;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task played as an episode: {@link #reset()} opens a fresh sandbox with the task set up and returns the
 * prompt; {@link #step(String)} runs the agent's command and returns the observation; when the episode ends
 * (done, a limit, an error) the verifier runs at once, the reward is recorded and the sandbox is closed.
 * Instances are independent, so many episodes can step in parallel on a caller's executor; one instance is
 * meant to be driven by one thread at a time.
 */
public final class TerminalEnvironment implements Environment {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalEnvironment.class);

    private final Task task;
    private final SandboxConfig sandboxConfig;
    private final EpisodeLimits limits;
    private final List<TranscriptMessage> messages = new ArrayList<>();
    private TaskSandbox sandbox;
    private int turns;
    private long startNanos;
    private double startupMs;
    private double commandsMs;
    private double verifierMs;
    private double totalMs;
    private EndReason endReason;
    private String error;
    private double reward = Double.NaN;
    private VerifierResult verifierResult;

    public TerminalEnvironment(Task task, SandboxConfig sandboxConfig, EpisodeLimits limits) {
        this.task = task;
        this.sandboxConfig = sandboxConfig.withCommandTimeout(limits.commandTimeout());
        this.limits = limits;
    }

    /** The messages an episode of {@code task} opens with: the system prompt and the task's instruction. */
    public static List<TranscriptMessage> opening(Task task, EpisodeLimits limits) {
        return List.of(TranscriptMessage.of("system", Segment.context(AgentProtocol.systemPrompt(limits))),
                TranscriptMessage.of("user", Segment.context(task.instruction())));
    }

    @Override
    public List<ChatMessage> reset() {
        closeSandbox();
        messages.clear();
        turns = 0;
        commandsMs = verifierMs = totalMs = 0;
        endReason = null;
        error = null;
        reward = Double.NaN;
        verifierResult = null;
        startNanos = System.nanoTime();
        messages.addAll(opening(task, limits));
        sandbox = TaskSandbox.open(task, sandboxConfig);
        startupMs = millisSince(startNanos);
        return messages();
    }

    @Override
    public StepResult step(String agentTurn) {
        if (sandbox == null && endReason == null) {
            throw new IllegalStateException("call reset() before step()");
        }
        if (isDone()) {
            throw new IllegalStateException("the episode has ended (" + endReason + "); call reset() for a new one");
        }
        turns++;
        messages.add(TranscriptMessage.of("assistant", Segment.action(agentTurn)));
        ParsedTurn parsed = TurnParser.parse(agentTurn);
        if (parsed.done()) {
            finish(EndReason.DONE);
            return new StepResult(new Observation(List.of()), true, endReason, reward);
        }
        Observation obs;
        if (parsed.command().isEmpty()) {
            obs = Observation.warningsOnly(parsed.warnings());
        } else {
            Duration left = episodeTimeout().minus(commandTime());
            Duration timeout = left.compareTo(limits.commandTimeout()) < 0 ? left : limits.commandTimeout();
            if (timeout.isNegative() || timeout.isZero()) {
                finish(EndReason.EPISODE_TIMEOUT);
                return new StepResult(new Observation(List.of()), true, endReason, reward);
            }
            try {
                CommandResult r = sandbox.session().run(parsed.command().get(), timeout);
                commandsMs += r.elapsed().toNanos() / 1e6;
                obs = Observation.ofCommand(parsed.command().get(), r, parsed.warnings());
            } catch (RuntimeException e) {
                error = e.getMessage();
                LOG.warn("episode of task {} failed: {}", task.name(), e.getMessage());
                finish(EndReason.ERROR);
                return new StepResult(new Observation(List.of()), true, endReason, reward);
            }
        }
        messages.add(new TranscriptMessage("user", obs.segments()));
        if (turns >= limits.maxTurns()) {
            finish(EndReason.MAX_TURNS);
        } else if (commandTime().compareTo(episodeTimeout()) >= 0) {
            finish(EndReason.EPISODE_TIMEOUT);
        }
        return new StepResult(obs, isDone(), endReason, reward);
    }

    /**
     * Ends the episode now for a reason the caller knows (for example the trainer's token budget): the
     * verifier scores the state reached so far.
     */
    public StepResult end(EndReason reason) {
        if (!isDone()) {
            finish(reason);
        }
        return new StepResult(new Observation(List.of()), true, endReason, reward);
    }

    /** The tighter of the harness's episode limit and the task's own agent timeout. */
    /**
     * The time the episode's commands have run: what its time limit counts. The policy's own time does not count,
     * because in batched rollouts it depends on the other episodes of the batch and the machine's load, not on this
     * episode (a 288-episode evaluation once timed out every episode before its second command).
     */
    private Duration commandTime() {
        return Duration.ofNanos((long) (commandsMs * 1e6));
    }

    private Duration episodeTimeout() {
        return limits.episodeTimeout().compareTo(task.agentTimeout()) < 0 ? limits.episodeTimeout() : task.agentTimeout();
    }

    private void finish(EndReason reason) {
        endReason = reason;
        long v = System.nanoTime();
        try {
            if (sandbox != null && sandbox.session().isOpen()) {
                verifierResult = sandbox.verify();
                reward = verifierResult.reward();
                if (verifierResult.error()) {
                    error = error == null ? "verifier error: " + verifierResult.problem() : error;
                    LOG.warn("task {}: verifier error: {}; its output:\n{}", task.name(), verifierResult.problem(), verifierResult.run().output().strip());
                } else if (verifierResult.problem() != null) {
                    LOG.info("task {}: {}", task.name(), verifierResult.problem());
                }
            } else {
                reward = 0;
            }
        } catch (RuntimeException e) {
            reward = 0;
            error = error == null ? "verifier failed: " + e.getMessage() : error;
        }
        verifierMs = millisSince(v);
        totalMs = millisSince(startNanos);
        closeSandbox();
    }

    @Override
    public boolean isDone() {
        return endReason != null;
    }

    /** The conversation so far, as the policy is prompted with it. */
    public List<ChatMessage> messages() {
        return messages.stream().map(TranscriptMessage::toChatMessage).toList();
    }

    /** The episode with the role of every piece of text, its reward and timings. */
    public Transcript transcript() {
        return new Transcript(task.name(), messages, reward, endReason, error, new Timings(startupMs, commandsMs, verifierMs, totalMs));
    }

    public EndReason endReason() {
        return endReason;
    }

    /** The verifier's reward once the episode has ended, NaN before. */
    public double reward() {
        return reward;
    }

    /** The verifier's full result (its output helps debugging tasks), null before the end. */
    public VerifierResult verifierResult() {
        return verifierResult;
    }

    public Task task() {
        return task;
    }

    public int turns() {
        return turns;
    }

    @Override
    public void close() {
        closeSandbox();
    }

    private void closeSandbox() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }

    private static double millisSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
