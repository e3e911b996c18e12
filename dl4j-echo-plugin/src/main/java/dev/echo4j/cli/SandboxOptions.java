package dev.echo4j.cli;

import dev.echo4j.env.SandboxBackend;
import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.SandboxUnavailableException;
import java.nio.file.Path;
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

    /** Reports a sandbox that cannot start (the message says how to install bubblewrap) and gives the exit code. */
    static int unavailable(SandboxUnavailableException e) {
        System.err.println("echo4j: " + e.getMessage());
        return 2;
    }

    SandboxConfig config() {
        return SandboxConfig.defaults().withBwrapPath(bwrap).withBackend(unsandboxed ? SandboxBackend.UNSANDBOXED_LOCAL : SandboxBackend.BUBBLEWRAP);
    }
}
