package dev.echo4j.env;

/** The sandbox cannot start here (bubblewrap missing or refusing to run); the message says how to fix it. */
public final class SandboxUnavailableException extends RuntimeException {
    public SandboxUnavailableException(String message) {
        super(message);
    }

    public SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
