package dev.echo4j.task.suite;

import java.util.SplittableRandom;

/** A kind of terminal task; each seed gives a different instance with its own verifier and solution. */
public interface TaskFamily {

    /** Short name used in task folder names and metadata, e.g. {@code text-search}. */
    String name();

    /** What skill the family exercises (written to the task's metadata). */
    String category();

    TaskSpec generate(SplittableRandom rng);
}
