package dev.echo4j.transcript;

import java.util.Objects;

/** A run of message text whose tokens all have one role. */
public record Segment(TokenRole role, String text) {
    public Segment {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }

    public static Segment context(String text) { return new Segment(TokenRole.CONTEXT, text); }
    public static Segment action(String text) { return new Segment(TokenRole.ACTION, text); }
    public static Segment env(String text) { return new Segment(TokenRole.ENV, text); }
    public static Segment warning(String text) { return new Segment(TokenRole.WARNING, text); }
}
