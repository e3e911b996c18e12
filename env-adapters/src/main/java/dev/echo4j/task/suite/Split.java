package dev.echo4j.task.suite;

/** Which part of the suite: training tasks, or held-out tasks (unseen seeds plus families never trained on). */
public enum Split {
    TRAIN,
    HELDOUT,
    /**
     * Further unseen instances of the families only the held-out split has, never the held-out split's own: the
     * unlabelled tasks of verifier-free (env-only) training, whose effect is then measured on the held-out split.
     */
    HELDOUT_ONLY;

    /** Parses {@code train} / {@code heldout} / {@code heldout-only}, naming the allowed values otherwise. */
    public static Split parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "train" -> TRAIN;
            case "heldout" -> HELDOUT;
            case "heldout-only", "heldout_only" -> HELDOUT_ONLY;
            default -> throw new IllegalArgumentException("split must be train, heldout or heldout-only, got '" + s + "'");
        };
    }

    /** The name used in folder names and configs. */
    public String id() {
        return this == HELDOUT_ONLY ? "heldout-only" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
