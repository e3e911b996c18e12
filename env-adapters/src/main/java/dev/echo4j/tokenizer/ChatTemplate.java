package dev.echo4j.tokenizer;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The ChatML template Qwen3 uses: {@code <|im_start|>role\ncontent<|im_end|>\n}. It exposes the pieces
 * (header, end of turn, separator) so that transcripts can give each token its own role: the header and
 * separator are template tokens (role 0), the assistant's {@code <|im_end|>} belongs to its turn.
 */
public final class ChatTemplate {

    private final Tokenizer tokenizer;

    public ChatTemplate(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** {@code <|im_start|>role\n}. */
    public int[] header(String role) {
        return concat(new int[] {tokenizer.specialId(Tokenizer.IM_START)}, tokenizer.encode(role + "\n"));
    }

    /** {@code <|im_end|>}: the token that ends a turn; sampling stops on it. */
    public int endOfTurnId() {
        return tokenizer.specialId(Tokenizer.IM_END);
    }

    /** The newline between turns. */
    public int[] separator() {
        return tokenizer.encode("\n");
    }

    /** Renders whole messages; with {@code addGenerationPrompt} it ends with the assistant header. */
    public int[] render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        IntStream.Builder ids = IntStream.builder();
        for (ChatMessage m : messages) {
            append(ids, header(m.role()));
            append(ids, tokenizer.encode(m.content()));
            ids.add(endOfTurnId());
            append(ids, separator());
        }
        if (addGenerationPrompt) {
            append(ids, header("assistant"));
        }
        return ids.build().toArray();
    }

    private static void append(IntStream.Builder b, int[] ids) {
        for (int id : ids) {
            b.add(id);
        }
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(IntStream.of(a), IntStream.of(b)).toArray();
    }
}
