package dev.echo4j.transcript;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.echo4j.tokenizer.ChatMessage;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One chat message of an episode with the role of every part of its text: the system prompt and the
 * instruction are {@link TokenRole#CONTEXT}, the agent's turn {@link TokenRole#ACTION}, an observation a mix
 * of {@link TokenRole#ENV} and {@link TokenRole#WARNING}.
 *
 * @param role     the chat role: {@code system}, {@code user} or {@code assistant}
 * @param segments the text, in order
 */
public record TranscriptMessage(String role, List<Segment> segments) {
    public TranscriptMessage {
        Objects.requireNonNull(role, "role");
        if (!List.of("system", "user", "assistant").contains(role)) {
            throw new IllegalArgumentException("message role must be system, user or assistant, got '" + role + "'");
        }
        segments = List.copyOf(segments);
    }

    public static TranscriptMessage of(String role, Segment... segments) {
        return new TranscriptMessage(role, List.of(segments));
    }

    /** The whole text, as the model sees it. */
    @JsonIgnore
    public String content() {
        return segments.stream().map(Segment::text).collect(Collectors.joining());
    }

    @JsonIgnore
    public ChatMessage toChatMessage() {
        return new ChatMessage(role, content());
    }
}
