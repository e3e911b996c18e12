package dev.echo4j.transcript;

/**
 * Token ids of a transcript and the role of each token ({@code roles[i]} belongs to {@code ids[i]}; the
 * trainer shifts roles by one to get the roles of targets).
 */
public record RenderedTranscript(int[] ids, int[] roles) {
    public RenderedTranscript {
        if (ids.length != roles.length) {
            throw new IllegalArgumentException("ids and roles differ in length: " + ids.length + " vs " + roles.length);
        }
    }

    public int length() {
        return ids.length;
    }
}
