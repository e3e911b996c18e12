package dev.echo4j.env;

import dev.echo4j.tokenizer.ChatMessage;
import java.util.List;

/**
 * An episodic environment in the shape RL4J's {@code MDP} has ({@code reset}, {@code step}, {@code isDone},
 * {@code close}), with text as observations and actions: the agent's whole turn goes in, the observation
 * comes out.
 */
public interface Environment extends AutoCloseable {

    /** Starts a new episode and returns the first prompt (system prompt and task instruction). */
    List<ChatMessage> reset();

    /** Plays one agent turn. */
    StepResult step(String agentTurn);

    boolean isDone();

    /** Ends the episode and frees its resources; no process of it survives. */
    @Override
    void close();
}
