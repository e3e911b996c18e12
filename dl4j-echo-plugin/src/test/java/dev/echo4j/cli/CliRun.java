package dev.echo4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in this JVM for tests and captures what it prints. */
final class CliRun {

    private CliRun() {
    }

    /** The exit code (as text) and stdout. */
    static String[] run(String... args) {
        String[] all = runCapturingStderr(args);
        return new String[] {all[0], all[1]};
    }

    /** The exit code (as text), stdout and stderr. */
    static String[] runCapturingStderr(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = EchoCli.run(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
