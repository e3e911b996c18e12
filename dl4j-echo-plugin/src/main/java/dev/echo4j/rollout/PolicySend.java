package dev.echo4j.rollout;

/**
 * What a step cost to get the policy to a cluster's executors: the driver's seconds to snapshot it (and, when it
 * changed since the last step, to broadcast it), whether it was sent anew, and the bytes sent (0 when it was not).
 * Training logs it per step, so that a slow or oversized broadcast shows up in {@code metrics.jsonl}.
 */
public record PolicySend(boolean resent, long bytes, double seconds) {

    public PolicySend {
        if (bytes < 0 || (!resent && bytes != 0) || !(seconds >= 0)) {
            throw new IllegalArgumentException("policy send of " + bytes + " bytes in " + seconds + " s (resent " + resent + ")");
        }
    }
}
