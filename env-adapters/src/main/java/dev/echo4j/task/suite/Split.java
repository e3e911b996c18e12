package dev.echo4j.task.suite;

/** Which part of the suite: training tasks, or held-out tasks (unseen seeds plus families never trained on). */
public enum Split {
    TRAIN,
    HELDOUT;

    /** Parses {@code train} / {@code heldout}, naming the allowed values when the text is neither. */
    public static Split parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "train" -> TRAIN;
            case "heldout" -> HELDOUT;
            default -> throw new IllegalArgumentException("split must be train or heldout, got '" + s + "'");
        };
    }
}
