package dev.echo4j.sampling;

/**
 * Sees each token the moment it is picked, so that a server can stream text and end a sequence early (a stop
 * string seen, a client gone) without waiting for the whole batch. It runs on the decoding thread between
 * model steps: it must be quick and must not block.
 */
@FunctionalInterface
public interface TokenListener {

    /** Listens to nothing and never ends a sequence. */
    TokenListener NONE = (sequence, token, logProb) -> true;

    /**
     * Called right after {@code token} was picked for prompt {@code sequence} (a stop token included).
     * Returns false to end that sequence after this token; the others go on.
     */
    boolean onToken(int sequence, int token, float logProb);
}
