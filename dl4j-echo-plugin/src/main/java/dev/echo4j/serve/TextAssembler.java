package dev.echo4j.serve;

import dev.echo4j.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one sequence's tokens into text as they arrive. It releases only text that is final: never half of
 * a multi-byte character (a byte tokenizer emits UTF-8 one byte at a time) and never the start of what may
 * become a stop string; once a stop string appears, the text ends just before it.
 */
final class TextAssembler {

    private static final char REPLACEMENT = '\uFFFD';

    private final Tokenizer tokenizer;
    private final List<String> stopStrings;
    private int[] tokens = new int[16];
    private int count;
    private int released;
    private String text = "";
    private boolean stopStringSeen;

    TextAssembler(Tokenizer tokenizer, List<String> stopStrings) {
        this.tokenizer = tokenizer;
        this.stopStrings = stopStrings;
    }

    /** Adds a text token (not a stop token); returns the text that became final, possibly empty. */
    String add(int token) {
        if (stopStringSeen) {
            throw new IllegalStateException("the text already ended on a stop string");
        }
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, 2 * count);
        }
        tokens[count++] = token;
        text = tokenizer.decode(Arrays.copyOf(tokens, count));
        int end = text.length();
        for (String stop : stopStrings) {
            int at = text.indexOf(stop, Math.max(0, released - stop.length()));
            if (at >= 0 && at < end) {
                end = at;
                stopStringSeen = true;
            }
        }
        if (stopStringSeen) {
            text = text.substring(0, end);
            return release(end);
        }
        while (end > released && text.charAt(end - 1) == REPLACEMENT) {
            end--;   // possibly a character whose bytes are still coming
        }
        for (String stop : stopStrings) {
            for (int k = Math.min(stop.length() - 1, end - released); k > 0; k--) {
                if (text.startsWith(stop.substring(0, k), end - k)) {
                    end -= k;   // may be the start of a stop string
                    break;
                }
            }
        }
        return release(end);
    }

    /** The text not yet released, now final because the sequence ended. */
    String finish() {
        return release(text.length());
    }

    boolean stopStringSeen() {
        return stopStringSeen;
    }

    String text() {
        return text;
    }

    private String release(int end) {
        if (end <= released) {
            return "";
        }
        String out = text.substring(released, end);
        released = end;
        return out;
    }
}
