package dev.echo4j.cli;

import dev.echo4j.env.SandboxBackend;
import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.task.Task;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Sandbox options shared by the commands that run shells. */
final class SandboxOptions {

    /** rwxr-xr-x: temporary folders the sandbox user (nobody) must be able to walk into. */
    static final java.nio.file.attribute.FileAttribute<?> SEARCHABLE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    @Option(names = "--unsandboxed", description = "Run commands directly on this machine, without bubblewrap (no isolation; for debugging only).")
    boolean unsandboxed;

    @Option(names = "--bwrap", paramLabel = "PATH", description = "The bubblewrap binary (default: ${DEFAULT-VALUE}).")
    Path bwrap = SandboxConfig.DEFAULT_BWRAP;

    @Option(names = "--offline", description = {"Run tasks whose task.toml allows the internet (allow_internet = true, as every",
            "Terminal-Bench 2.1 task does) without it: what they would fetch at run time then fails. Without this they are refused."})
    boolean offline;

    /**
     * Why {@code task} is not run: it allows the internet, which the sandbox never has, and --offline did not accept
     * running it without. One line, naming the task and the way out.
     */
    Optional<String> refusal(Task task) {
        return task.environment().internetAllowed() && !offline
                ? Optional.of(task.name() + ": task.toml allows the internet (allow_internet = true), which echo4j's sandbox never has;"
                        + " add --offline to run it without (what it fetches at run time then fails)")
                : Optional.empty();
    }

    /** Reports a sandbox that cannot start (the message says how to install bubblewrap) and gives the exit code. */
    static int unavailable(SandboxUnavailableException e) {
        System.err.println("echo4j: " + e.getMessage());
        return 2;
    }

    SandboxConfig config() {
        return SandboxConfig.defaults().withBwrapPath(bwrap).withBackend(unsandboxed ? SandboxBackend.UNSANDBOXED_LOCAL : SandboxBackend.BUBBLEWRAP);
    }
}
