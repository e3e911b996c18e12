package dev.echo4j.transcript;

/**
 * The role of a token in a rendered transcript, as defined in {@code shared/spec/echo-objective.md}:
 * only {@link #ACTION} tokens get the policy loss and only {@link #ENV} tokens the environment loss.
 */
public enum TokenRole {
    /** System prompt, task instruction, chat-template tokens, padding: never a target. */
    CONTEXT(0),
    /** What the agent generated, its end-of-turn token included. */
    ACTION(1),
    /** What the terminal produced: the status line, stdout/stderr and the exit code. */
    ENV(2),
    /** Text the harness inserted into an observation: the WARNINGS block, omission notes. */
    WARNING(3);

    private final int id;

    TokenRole(int id) {
        this.id = id;
    }

    /** The integer written into role arrays. */
    public int id() {
        return id;
    }
}
