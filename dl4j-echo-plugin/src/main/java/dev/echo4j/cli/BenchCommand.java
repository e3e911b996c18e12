package dev.echo4j.cli;

import picocli.CommandLine.Command;

/** Benchmarks: each subcommand measures one part and prints its figures. */
@Command(name = "bench", description = "Benchmarks (figures printed to stdout).", subcommands = {BenchEnvCommand.class, BenchTrainCommand.class, BenchServeCommand.class})
final class BenchCommand {
}
