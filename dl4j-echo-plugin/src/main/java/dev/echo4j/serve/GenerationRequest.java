package dev.echo4j.serve;

import dev.echo4j.sampling.SamplingConfig;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One generation for the {@link InferenceEngine}: prompt ids, how to sample, strings that end the text early
 * (as OpenAI's {@code stop}), and where to send the text as it grows. {@code onText} runs on the engine's
 * decoding thread, so it must hand the text over (a queue) and return at once; a slow consumer there would
 * stall every request in the batch.
 */
public record GenerationRequest(int[] prompt, SamplingConfig sampling, List<String> stopStrings, Consumer<String> onText) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        if (prompt.length == 0) {
            throw new IllegalArgumentException("prompt is empty: a generation needs at least one prompt token");
        }
        stopStrings = List.copyOf(stopStrings);
        if (stopStrings.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop strings must not be empty, got " + stopStrings);
        }
        Objects.requireNonNull(onText, "onText");
    }

    /** A request whose text is only wanted at the end. */
    public static GenerationRequest of(int[] prompt, SamplingConfig sampling) {
        return new GenerationRequest(prompt, sampling, List.of(), text -> { });
    }
}
