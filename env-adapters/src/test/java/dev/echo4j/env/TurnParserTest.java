package dev.echo4j.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TurnParserTest {

    @Test
    void oneCommandWithReasoningAround() {
        ParsedTurn t = TurnParser.parse("I will list the files.\n<bash>ls -la /app</bash>\n");
        assertEquals(Optional.of("ls -la /app"), t.command());
        assertTrue(t.warnings().isEmpty());
        assertFalse(t.done());
    }

    @Test
    void multiLineCommandKeepsItsText() {
        assertEquals(Optional.of("cat > f <<'EOF'\na < b\nEOF"), TurnParser.parse("<bash>\ncat > f <<'EOF'\na < b\nEOF\n</bash>").command());
    }

    @Test
    void doneAlone() {
        ParsedTurn t = TurnParser.parse("All finished. <done/>");
        assertTrue(t.done());
        assertTrue(t.command().isEmpty());
    }

    @Test
    void severalCommandsRunTheFirstWithAWarning() {
        ParsedTurn t = TurnParser.parse("<bash>echo 1</bash><bash>echo 2</bash>");
        assertEquals(Optional.of("echo 1"), t.command());
        assertEquals(1, t.warnings().size());
        assertTrue(t.warnings().get(0).contains("only the first was executed"));
    }

    @Test
    void brokenTurnsRunNothing() {
        for (String bad : new String[] {"just text", "<bash>echo unclosed", "<bash>   </bash>", ""}) {
            ParsedTurn t = TurnParser.parse(bad);
            assertTrue(t.command().isEmpty(), bad);
            assertFalse(t.done(), bad);
            assertEquals(1, t.warnings().size(), bad);
            assertTrue(t.warnings().get(0).contains("nothing was executed"), bad);
        }
    }

    @Test
    void doneWithACommandRunsTheCommandAndWarns() {
        ParsedTurn t = TurnParser.parse("<bash>ls</bash> <done/>");
        assertEquals(Optional.of("ls"), t.command());
        assertFalse(t.done());
        assertTrue(t.warnings().get(0).contains("<done/> was ignored"));
    }
}
