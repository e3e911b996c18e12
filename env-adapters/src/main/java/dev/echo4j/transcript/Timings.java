package dev.echo4j.transcript;

/**
 * Wall-clock milliseconds spent in one episode.
 *
 * @param startupMs  sandbox start plus the task's setup script
 * @param commandsMs all commands the agent ran, summed
 * @param verifierMs the verifier
 * @param totalMs    from reset to the end of verification
 */
public record Timings(double startupMs, double commandsMs, double verifierMs, double totalMs) {
}
