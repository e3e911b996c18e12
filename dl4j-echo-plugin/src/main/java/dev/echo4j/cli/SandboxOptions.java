package dev.echo4j.cli;

import dev.echo4j.env.SandboxBackend;
import dev.echo4j.env.SandboxConfig;
import picocli.CommandLine.Option;

/** The sandbox choice shared by every command that runs episodes. */
final class SandboxOptions {

    @Option(names = "--unsandboxed", description = "Run commands in a plain local bash without bubblewrap (unsafe; warns every episode).")
    boolean unsandboxed;

    SandboxConfig config() {
        SandboxConfig c = SandboxConfig.defaults();
        return unsandboxed ? c.withBackend(SandboxBackend.UNSANDBOXED_LOCAL) : c;
    }
}
