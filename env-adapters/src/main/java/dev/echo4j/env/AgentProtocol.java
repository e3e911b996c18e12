package dev.echo4j.env;

/** The system prompt that tells the agent the harness's protocol (see {@link TurnParser} and {@link Observation}). */
public final class AgentProtocol {

    private AgentProtocol() {
    }

    public static String systemPrompt(EpisodeLimits limits) {
        return """
                You are an agent working in a Linux terminal to complete a task. Your working directory is /app.
                Each turn, send exactly one bash command wrapped as %s...%s. It runs in a persistent shell \
                (the working directory, variables and functions carry over). You will see its output as \
                "Command '...' executed successfully/failed. Output: ... (exit_code=N)". There is no network.
                Each command may run at most %d seconds; you have at most %d turns.
                When the task is complete, reply with %s alone.""".formatted(TurnParser.OPEN, TurnParser.CLOSE,
                limits.commandTimeout().toSeconds(), limits.maxTurns(), TurnParser.DONE);
    }
}
