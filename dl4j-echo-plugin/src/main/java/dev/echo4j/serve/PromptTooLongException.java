package dev.echo4j.serve;

/** A prompt plus its token budget does not fit the model's context window. */
public final class PromptTooLongException extends IllegalArgumentException {

    public PromptTooLongException(int promptTokens, int maxNewTokens, int contextLength) {
        super("the prompt has " + promptTokens + " tokens and asks for up to " + maxNewTokens + " more, but the model's context is "
                + contextLength + " tokens; shorten the messages or lower max_tokens");
    }
}
