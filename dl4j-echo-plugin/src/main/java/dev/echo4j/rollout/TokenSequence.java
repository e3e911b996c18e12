package dev.echo4j.rollout;

import dev.echo4j.transcript.RenderedTranscript;
import dev.echo4j.transcript.TokenRole;
import java.util.Arrays;

/**
 * A rollout's tokens as the policy saw and produced them, with each token's role and, for the tokens it
 * sampled, their log-probs at sampling time. Generated ids are kept as sampled (never re-tokenised), so
 * the training batch scores exactly the tokens the sampler chose.
 */
final class TokenSequence {

    private int[] ids = new int[512];
    private int[] roles = new int[512];
    private float[] logProbs = new float[512];
    private int length;

    void add(int[] tokens, TokenRole role) {
        add(tokens, role, null);
    }

    void add(RenderedTranscript rendered) {
        ensure(rendered.length());
        System.arraycopy(rendered.ids(), 0, ids, length, rendered.length());
        System.arraycopy(rendered.roles(), 0, roles, length, rendered.length());
        length += rendered.length();
    }

    /** Appends tokens with one role; {@code sampledLogProbs} (or null) are their log-probs at sampling time. */
    void add(int[] tokens, TokenRole role, float[] sampledLogProbs) {
        ensure(tokens.length);
        System.arraycopy(tokens, 0, ids, length, tokens.length);
        Arrays.fill(roles, length, length + tokens.length, role.id());
        if (sampledLogProbs != null) {
            System.arraycopy(sampledLogProbs, 0, logProbs, length, tokens.length);
        }
        length += tokens.length;
    }

    private void ensure(int extra) {
        if (length + extra > ids.length) {
            int capacity = Math.max(ids.length * 2, length + extra);
            ids = Arrays.copyOf(ids, capacity);
            roles = Arrays.copyOf(roles, capacity);
            logProbs = Arrays.copyOf(logProbs, capacity);
        }
    }

    int length() {
        return length;
    }

    int[] ids() {
        return Arrays.copyOf(ids, length);
    }

    int[] roles() {
        return Arrays.copyOf(roles, length);
    }

    float[] logProbs() {
        return Arrays.copyOf(logProbs, length);
    }
}
