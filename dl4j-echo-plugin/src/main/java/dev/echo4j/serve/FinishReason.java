package dev.echo4j.serve;

/** Why a generation ended, with the name OpenAI's API gives it. */
public enum FinishReason {
    /** A stop token ({@code <|im_end|>}) or a stop string. */
    STOP("stop"),
    /** The request's token budget ran out. */
    LENGTH("length");

    private final String apiName;

    FinishReason(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
