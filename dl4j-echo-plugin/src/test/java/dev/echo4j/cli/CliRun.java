package dev.echo4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in this JVM for tests and captures what it prints to stdout. */
final class CliRun {

    private CliRun() {
    }

    /** The exit code (as text) and stdout. */
    static String[] run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = EchoCli.run(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(old);
        }
    }
}
