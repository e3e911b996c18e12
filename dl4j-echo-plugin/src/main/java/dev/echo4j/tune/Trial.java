package dev.echo4j.tune;

import java.nio.file.Path;
import java.util.Map;

/**
 * One candidate's short training run and held-out evaluation: the part of a search that knows the model.
 * {@link EchoTrial} trains an echo4j policy; a DL4J user implements this for their own network and gets the
 * same search (spaces, Arbiter generators, resume, failure handling, tables, plot).
 */
@FunctionalInterface
public interface Trial {

    /**
     * Trains with {@code values} (parameter name to drawn value), writing everything into {@code runDir}, and
     * returns the held-out metrics the {@link Objective} reads. Throws {@link TrialFailure} (or any exception)
     * when the candidate is bad: the search records the reason and goes on.
     */
    Map<String, Double> run(Map<String, Object> values, Path runDir) throws Exception;
}
