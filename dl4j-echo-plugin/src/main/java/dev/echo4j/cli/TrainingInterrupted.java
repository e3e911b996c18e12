package dev.echo4j.cli;

/**
 * Training stopped by SIGINT or SIGTERM after saving a checkpoint. Thrown rather than returned so that a
 * command running several trainings (compare, demo) stops too; {@link EchoCli} turns it into one line and
 * the shell's exit code for the signal (128 + its number: 130 for SIGINT, 143 for SIGTERM).
 */
final class TrainingInterrupted extends RuntimeException {

    private final int exitCode;

    TrainingInterrupted(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
