package dev.echo4j.env;

/** Where a {@link TerminalSession}'s shell runs. */
public enum SandboxBackend {
    /** bubblewrap: private mount, PID and network namespaces; the default and the only safe choice. */
    BUBBLEWRAP,
    /** A plain local bash with no isolation: only by explicit opt-in, with a warning on every episode. */
    UNSANDBOXED_LOCAL
}
