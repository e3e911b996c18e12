package dev.echo4j.task;

import dev.echo4j.env.CommandResult;

/**
 * The verifier's verdict.
 *
 * @param reward  the number from reward.txt / reward.json, 0 when the verifier wrote none
 * @param run     what tests/test.sh printed and returned
 * @param problem why no reward was read (timeout, missing or unreadable file), null when one was
 */
public record VerifierResult(double reward, CommandResult run, String problem) {
}
