package dev.echo4j.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs of every size around the output cap, printed by a real sandboxed shell: each is either whole or
 * cut around the omission note, never silently shortened, and the observation ends with the command's own
 * last line. Outputs between half the cap and the cap once lost everything after the first half.
 */
class OutputCapTest {

    /** Lines of 14 bytes whose two-byte characters straddle the cap's half (8192 = 585 * 14 + 2). */
    private static final String LINE = "aüüüüüü\n";

    @TempDir
    Path work;

    @Test
    void everySizeAroundTheDefaultCapIsWholeOrVisiblyCut() throws Exception {
        SandboxConfig config = SandboxConfig.defaults();
        int half = config.maxOutputBytes() / 2;
        sweep(config, List.of(100, 4096, half - 1, half, half + 1, half + 2, 12 * 1024, 2 * half - 1, 2 * half, 2 * half + 1,
                2 * half + 2, 3 * half, 64 * 1024, 1 << 20));
    }

    @Test
    void everySizeUpToThreeTimesTheSmallestCapIsWholeOrVisiblyCut() throws Exception {
        SandboxConfig config = SandboxConfig.defaults().withMaxOutputBytes(64);
        sweep(config, IntStream.rangeClosed(0, 3 * 64 + 20).boxed().toList());
    }

    @Test
    void theReportedCommandEndsAtItsLastNumber() {
        try (TerminalSession session = TerminalSession.start(work, List.of(), SandboxConfig.defaults())) {
            CommandResult r = session.run("seq 1 3000");
            assertFalse(r.truncated(), "13893 bytes fit the 16 KiB cap");
            assertTrue(r.output().endsWith("\n2999\n3000\n"), r.output().substring(r.output().length() - 40));
        }
    }

    /** Has a real shell print outputs of these sizes and checks each one and its observation. */
    private void sweep(SandboxConfig config, List<Integer> sizes) throws Exception {
        try (TerminalSession session = TerminalSession.start(work, List.of(), config)) {
            for (int size : sizes) {
                String expected = output(size);
                Files.writeString(work.resolve("out.txt"), expected);
                CommandResult r = session.run("cat out.txt");
                assertWholeOrCut(expected, r, config.maxOutputBytes());
                String lastLine = expected.substring(expected.lastIndexOf('\n', expected.length() - 2) + 1);
                assertTrue(Observation.ofCommand("cat out.txt", r, List.of()).text().endsWith(lastLine + "(exit_code=0)"),
                        size + " bytes: the observation ends with the real last line " + lastLine);
            }
        }
    }

    /** Whole within the cap; beyond it the output's own head and tail around the note, adding up to its size. */
    private static void assertWholeOrCut(String expected, CommandResult r, int cap) {
        int size = expected.getBytes(StandardCharsets.UTF_8).length;
        if (size <= cap) {
            assertFalse(r.truncated(), size + " bytes fit the cap of " + cap);
            assertEquals(expected, r.output(), size + " bytes arrive whole");
            return;
        }
        assertTrue(r.truncated(), size + " bytes pass the cap of " + cap);
        assertTrue(r.output().contains("[... " + r.omittedBytes() + " bytes omitted ...]"), size + " bytes: the note is there");
        assertTrue(expected.startsWith(r.head()), size + " bytes: the head is the output's own start");
        assertTrue(expected.endsWith(r.tail()), size + " bytes: the tail is the output's own end");
        assertEquals(size, bytes(r.head()) + r.omittedBytes() + bytes(r.tail()), size + " bytes: kept plus omitted is the whole");
        assertTrue(bytes(r.head()) + bytes(r.tail()) > cap - 8, size + " bytes: nearly the whole cap is kept");
    }

    /** Exactly {@code size} bytes of lines, the last one naming the size when there is room for it. */
    private static String output(int size) {
        String last = "end " + size + "\n";
        if (size < last.length()) {
            return size == 0 ? "" : "x".repeat(size - 1) + "\n";
        }
        int fill = size - last.length();
        StringBuilder out = new StringBuilder();
        int lineBytes = LINE.getBytes(StandardCharsets.UTF_8).length;
        for (int i = 0; i < fill / lineBytes; i++) {
            out.append(LINE);
        }
        if (fill % lineBytes > 0) {
            out.append("x".repeat(fill % lineBytes - 1)).append('\n');
        }
        return out.append(last).toString();
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
