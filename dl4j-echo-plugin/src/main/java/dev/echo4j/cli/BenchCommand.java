package dev.echo4j.cli;

import picocli.CommandLine.Command;

/** {@code echo4j bench ...}: speed figures printed by commands, never asserted by tests. */
@Command(name = "bench", description = "Benchmarks (figures to stdout, progress to stderr).",
        subcommands = {BenchModelCommand.class, BenchMemoryCommand.class, BenchEnvCommand.class, BenchTrainCommand.class, BenchServeCommand.class,
                BenchTokenizerCommand.class, BenchEndToEndCommand.class, BenchRolloutsCommand.class, BenchDecodeCommand.class})
final class BenchCommand {
}
