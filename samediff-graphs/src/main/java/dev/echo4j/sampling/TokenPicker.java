package dev.echo4j.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits (greedy, or temperature + top-k + top-p sampling) and
 * reports its log-probability under the untempered softmax, the policy's own distribution (or, when the
 * config asks for it, under softmax(logits / temperature)).
 */
final class TokenPicker {

    record Pick(int token, float logProb) {
    }

    private final SamplingConfig config;

    TokenPicker(SamplingConfig config) {
        this.config = config;
    }

    Pick pick(float[] logits, SplittableRandom random) {
        int token = config.greedy() ? argmax(logits) : sample(logits, random);
        double scale = config.temperedLogProbs() && !config.greedy() ? 1.0 / config.temperature() : 1.0;
        return new Pick(token, (float) (logits[token] * scale - logSumExp(logits, scale)));
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private int sample(float[] logits, SplittableRandom random) {
        double scale = 1.0 / config.temperature();
        double norm = logSumExp(logits, scale);
        if (config.topK() == 0 && config.topP() >= 1) {
            return inverseCdf(logits, scale, norm, random.nextDouble());   // no filter: no sort over the vocabulary
        }
        int n = logits.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = config.topK() > 0 ? Math.min(config.topK(), n) : n;
        double[] probs = new double[keep];
        double mass = 0;
        int kept = 0;
        while (kept < keep && (kept == 0 || mass < config.topP())) {
            probs[kept] = Math.exp(logits[order[kept]] * scale - norm);
            mass += probs[kept++];
        }
        double u = random.nextDouble() * mass;
        for (int i = 0; i < kept; i++) {
            u -= probs[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    private static int inverseCdf(float[] logits, double scale, double norm, double u) {
        for (int i = 0; i < logits.length; i++) {
            u -= Math.exp(logits[i] * scale - norm);
            if (u < 0) {
                return i;
            }
        }
        return argmax(logits);   // rounding left a sliver of mass: the likeliest token
    }

    private static double logSumExp(float[] logits, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x * scale);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x * scale - max);
        }
        return max + Math.log(sum);
    }
}
