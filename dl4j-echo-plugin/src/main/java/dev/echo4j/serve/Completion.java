package dev.echo4j.serve;

/**
 * A finished generation: the text (stop token and stop string excluded), the generated token ids (the stop
 * token included when there was one), the prompt's length in tokens and why it ended.
 */
public record Completion(String text, int[] tokens, int promptTokens, FinishReason finishReason) {

    public int completionTokens() {
        return tokens.length;
    }
}
