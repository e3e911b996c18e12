package dev.echo4j.tokenizer;

import java.util.Map;

/**
 * Text to token ids and back. One interface for the byte-level tokenizer of models trained from scratch
 * and for imported Hugging Face tokenizers, so that transcripts, the trainer and the server never care
 * which one they hold.
 */
public interface Tokenizer {

    String END_OF_TEXT = "<|endoftext|>";
    String IM_START = "<|im_start|>";
    String IM_END = "<|im_end|>";

    /** Encodes plain text; special-token names inside the text are NOT turned into special ids. */
    int[] encode(String text);

    /** Decodes ids; special ids are rendered as their names (for example {@code <|im_end|>}). */
    String decode(int[] ids);

    /** Number of ids the model's embedding must cover. */
    int vocabSize();

    /** Special tokens by name, for example {@code <|im_start|>}, {@code <|im_end|>}, {@code <|endoftext|>}. */
    Map<String, Integer> specialTokens();

    /** The id of a special token, or an exception naming the token and the ones that exist. */
    default int specialId(String name) {
        Integer id = specialTokens().get(name);
        if (id == null) {
            throw new IllegalArgumentException("tokenizer has no special token '" + name + "'; it has " + specialTokens().keySet());
        }
        return id;
    }

    /** The id used to pad batches (never a training target: padding has role 0). */
    int padId();
}
