package dev.echo4j.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void roundTripsUnicodeAndKeepsSpecialNamesAsPlainText() {
        String text = "ls -la /app && echo 'héllo ✓' <|im_end|>";
        int[] ids = tokenizer.encode(text);
        assertEquals(text, tokenizer.decode(ids));
        for (int id : ids) {
            assertEquals(true, id < 256, "plain text must never encode to a special id");
        }
    }

    @Test
    void piecewiseEncodingEqualsWholeEncoding() {
        String a = "héllo ";
        String b = "wörld";
        int[] whole = tokenizer.encode(a + b);
        int[] pieces = java.util.stream.IntStream.concat(
                java.util.Arrays.stream(tokenizer.encode(a)), java.util.Arrays.stream(tokenizer.encode(b))).toArray();
        assertArrayEquals(whole, pieces);
    }

    @Test
    void chatTemplateRendersChatMl() {
        ChatTemplate template = new ChatTemplate(tokenizer);
        int[] ids = template.render(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi")), true);
        assertEquals("<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                tokenizer.decode(ids));
        assertEquals(259, tokenizer.vocabSize());
    }

    @Test
    void unknownSpecialTokenIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.specialId("<|tool|>"));
        assertEquals(true, e.getMessage().contains("<|tool|>"));
    }
}
