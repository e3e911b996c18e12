package dev.echo4j.cli;

import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.rollout.RolloutsFailedException;
import dev.echo4j.samediff.Dl4jLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code echo4j} command line. Each subcommand is one class in this package. The help options are
 * inherited, so that {@code --help} works on every command, including those that group subcommands or
 * require parameters.
 */
@Command(
        name = "echo4j",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        version = "echo4j 0.1.0-SNAPSHOT (DL4J/SameDiff 1.0.0-M2.1)",
        description = "Train command-line agents with ECHO: GRPO on actions + cross-entropy on terminal output.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            PretrainCommand.class,
            SftCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            CompareCommand.class,
            EnvCommand.class,
            TasksCommand.class,
            BenchCommand.class,
            TuneCommand.class,
            ServeCommand.class,
            RunAgentCommand.class,
            PredictCommand.class,
        })
public final class EchoCli {

    @Option(names = "--dl4j-log", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "Show DL4J/ND4J's own log messages at this level (default: hidden).")
    void dl4jLog(String level) {
        Dl4jLogging.enable(level);
    }

    /** Whether user errors show their stack trace (off: one line); per run, so one run's --debug never reaches the next. */
    private boolean debug;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show the stack trace of an error, not only its one line.")
    void debug(boolean on) {
        debug = on;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI without exiting the JVM (tests call this). */
    public static int run(String... args) {
        EchoCli cli = new EchoCli();
        return new CommandLine(cli).setExecutionExceptionHandler(cli::handle).execute(args);
    }

    /**
     * An interrupted training and a sandbox that cannot start are expected ends, reported in one line
     * (the sandbox's says how to install bubblewrap); so is bad input, which the code reports as an
     * {@link IllegalArgumentException} naming the problem (exit 2; {@code --debug} adds the stack trace). Episodes that failed on
     * a cluster after its retries end the command in one line too (exit 1).
     * Anything else is a bug and keeps picocli's stack trace.
     */
    private int handle(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof TrainingInterrupted interrupted) {
            System.err.println("echo4j: " + interrupted.getMessage());
            return interrupted.exitCode();
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SandboxUnavailableException unavailable) {
                return SandboxOptions.unavailable(unavailable);
            }
        }
        if (e instanceof RolloutsFailedException failed) {
            System.err.println("echo4j: " + failed.getMessage());
            return 1;
        }
        if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
            if (debug) {
                e.printStackTrace();
            }
            System.err.println("echo4j: " + e.getMessage());
            return 2;
        }
        throw e;
    }
}
