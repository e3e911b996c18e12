package dev.echo4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.tokenizer.ByteTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextAssemblerTest {

    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();

    private static String feed(TextAssembler text, String s, StringBuilder released) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            released.append(text.add(b & 0xff));
            if (text.stopStringSeen()) {
                break;
            }
        }
        return released.toString();
    }

    @Test
    void multiByteCharactersAreReleasedWhole() {
        TextAssembler text = new TextAssembler(TOKENIZER, List.of());
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        assertEquals("", text.add(euro[0] & 0xff));
        assertEquals("", text.add(euro[1] & 0xff));
        assertEquals("€", text.add(euro[2] & 0xff));
        assertEquals("a", text.add('a'));
    }

    @Test
    void aStopStringSplitOverTokensEndsTheTextBeforeIt() {
        TextAssembler text = new TextAssembler(TOKENIZER, List.of("END"));
        StringBuilder released = new StringBuilder();
        assertEquals("hello ", feed(text, "hello E", released), "'E' may start the stop string: held back");
        feed(text, "ND and more", released);
        assertTrue(text.stopStringSeen());
        assertEquals("hello ", released + text.finish());
        assertEquals("hello ", text.text());
    }

    @Test
    void heldBackPrefixIsReleasedWhenItTurnsOutNotToBeAStop() {
        TextAssembler text = new TextAssembler(TOKENIZER, List.of("<stop>"));
        StringBuilder released = new StringBuilder();
        feed(text, "a <st", released);
        assertEquals("a ", released.toString(), "'<st' may start a stop string: held back");
        feed(text, "ay>", released);
        assertFalse(text.stopStringSeen());
        assertEquals("a <stay>", released + text.finish());
    }
}
