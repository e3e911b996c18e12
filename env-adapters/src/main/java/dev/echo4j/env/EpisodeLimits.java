package dev.echo4j.env;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one episode: turns, the time of one command, the time of the whole episode.
 * An episode ends on done, on the first limit reached, or on an error.
 */
public record EpisodeLimits(int maxTurns, Duration commandTimeout, Duration episodeTimeout) {
    public EpisodeLimits {
        if (maxTurns < 1) {
            throw new IllegalArgumentException("maxTurns must be at least 1, got " + maxTurns);
        }
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(episodeTimeout, "episodeTimeout");
        if (commandTimeout.isZero() || commandTimeout.isNegative()) {
            throw new IllegalArgumentException("commandTimeout must be positive, got " + commandTimeout);
        }
        if (episodeTimeout.compareTo(commandTimeout) < 0) {
            throw new IllegalArgumentException("episodeTimeout (" + episodeTimeout + ") must be at least commandTimeout (" + commandTimeout + ")");
        }
    }

    /** The paper's harness: 16 turns, 30 s per command; the episode gets 10 minutes. */
    public static EpisodeLimits paper() {
        return new EpisodeLimits(16, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }
}
