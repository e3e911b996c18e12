package dev.echo4j.env;

/**
 * The system prompt that tells the agent the harness's protocol (see {@link TurnParser} and {@link Observation}).
 * It is short on purpose: with a byte-level tokenizer the prompt is part of every sequence the policy samples
 * and trains on, and its few facts (one wrapped command a turn, the limits, how to finish) are all it needs.
 */
public final class AgentProtocol {

    private AgentProtocol() {
    }

    public static String systemPrompt(EpisodeLimits limits) {
        return """
                Linux shell in /app, no network. Each turn send one bash command as %s...%s; you see its output. \
                At most %d turns of %d s. Reply %s when the task is done.""".formatted(TurnParser.OPEN, TurnParser.CLOSE,
                limits.maxTurns(), limits.commandTimeout().toSeconds(), TurnParser.DONE);
    }
}
