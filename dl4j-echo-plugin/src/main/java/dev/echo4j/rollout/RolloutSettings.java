package dev.echo4j.rollout;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.echo4j.env.EpisodeLimits;
import java.time.Duration;

/**
 * How episodes are played for training and evaluation. The paper's harness gives 16 turns and 30 s per
 * command; the tiny model gets fewer turns and a short output cap, because every byte is a token.
 *
 * @param maxTurns           agent turns per episode
 * @param maxNewTokens       tokens the policy may generate in one turn
 * @param commandTimeoutSec  wall time of one command
 * @param episodeTimeoutSec  time the episode's commands may run in all (the policy's generation time is not
 *                           counted: in batched rollouts it depends on the whole batch)
 * @param maxOutputBytes     terminal output kept per command (head and tail)
 * @param maxSequenceTokens  token budget of one rollout; longer ones stop early and are marked truncated
 * @param workers            episodes stepped in parallel
 * @param generationBatch    episodes whose next turn is generated in one batch (one prompt pass, then decoding
 *                           steps); more live episodes are generated batch after batch, with the same tokens (each
 *                           episode samples from its own stream). It bounds the memory of a turn: an evaluation of
 *                           48 tasks x 8 samples prefilled 384 transcripts at once
 */
public record RolloutSettings(
        @JsonProperty("max_turns") int maxTurns,
        @JsonProperty("max_new_tokens") int maxNewTokens,
        @JsonProperty("command_timeout_sec") double commandTimeoutSec,
        @JsonProperty("episode_timeout_sec") double episodeTimeoutSec,
        @JsonProperty("max_output_bytes") int maxOutputBytes,
        @JsonProperty("max_sequence_tokens") int maxSequenceTokens,
        @JsonProperty("workers") int workers,
        @JsonProperty("generation_batch") int generationBatch) {

    /** A training step's episodes at the default sizes (4 tasks x 8) in one batch. */
    public static final int DEFAULT_GENERATION_BATCH = 32;

    public static final RolloutSettings DEFAULTS = new RolloutSettings(4, 64, 5, 60, 256, 1280, 2, DEFAULT_GENERATION_BATCH);

    public RolloutSettings {
        positive("rollout.max_turns", maxTurns);
        positive("rollout.max_new_tokens", maxNewTokens);
        positive("rollout.max_output_bytes", maxOutputBytes);
        positive("rollout.max_sequence_tokens", maxSequenceTokens);
        positive("rollout.workers", workers);
        positive("rollout.generation_batch", generationBatch);
        if (!(commandTimeoutSec > 0) || !(episodeTimeoutSec >= commandTimeoutSec)) {
            throw new IllegalArgumentException("rollout.command_timeout_sec = " + commandTimeoutSec + ", rollout.episode_timeout_sec = "
                    + episodeTimeoutSec + ": both must be > 0 and the episode at least as long as one command");
        }
    }

    /** The harness limits of one episode played with these settings (its system prompt states them). */
    public EpisodeLimits episodeLimits() {
        return new EpisodeLimits(maxTurns, Duration.ofMillis((long) (commandTimeoutSec * 1000)), Duration.ofMillis((long) (episodeTimeoutSec * 1000)));
    }

    private static void positive(String field, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " = " + value + ": must be at least 1");
        }
    }
}
