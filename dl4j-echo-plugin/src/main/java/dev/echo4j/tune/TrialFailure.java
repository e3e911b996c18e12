package dev.echo4j.tune;

/** A candidate that trained into a bad state (non-finite loss, collapse): a failed result, not a crashed search. */
public final class TrialFailure extends RuntimeException {

    public TrialFailure(String reason) {
        super(reason);
    }
}
