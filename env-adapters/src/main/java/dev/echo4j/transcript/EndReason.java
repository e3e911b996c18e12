package dev.echo4j.transcript;

/** Why an episode ended. */
public enum EndReason {
    /** The agent said it was done. */
    DONE,
    /** The agent used all its turns. */
    MAX_TURNS,
    /** The episode's total time ran out. */
    EPISODE_TIMEOUT,
    /** The rollout reached the trainer's token budget (the model's context). */
    TOKEN_LIMIT,
    /** The sandbox or the task failed; the message is in the transcript's {@code error}. */
    ERROR
}
