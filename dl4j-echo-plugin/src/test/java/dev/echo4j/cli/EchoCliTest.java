package dev.echo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoCliTest {

    private static String capture(Runnable action) {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommandWithADescription() {
        String help = capture(() -> assertEquals(0, EchoCli.run("--help")));
        assertTrue(help.contains("Usage: echo4j"), help);
        assertTrue(help.contains("demo"), help);
    }

    @Test
    void unknownCommandFails() {
        assertNotEquals(0, EchoCli.run("no-such-command"));
    }
}
