package dev.echo4j.env;

import dev.echo4j.transcript.EndReason;

/**
 * The outcome of one agent turn.
 *
 * @param observation what the agent sees next (empty when the turn was {@code <done/>})
 * @param done        whether the episode has ended
 * @param endReason   why it ended, null while it runs
 * @param reward      the verifier's reward once done (NaN before)
 */
public record StepResult(Observation observation, boolean done, EndReason endReason, double reward) {
}
