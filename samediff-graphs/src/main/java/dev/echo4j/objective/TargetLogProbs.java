package dev.echo4j.objective;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one log-prob routine of the training graphs: log p(target) = the target's logit minus the log-sum-exp of
 * its row of logits [B,T,V], and the softmax's entropy and dL/dlogits from the same statistics, computed over
 * the vocabulary in chunks ({@link LogitChunks}, {@link #CHUNK} entries by default). No one-hot, softmax or
 * log-softmax of [B,T,V] is ever made: with Qwen3's 151,936-token vocabulary each of those held 2.3 GiB at
 * 4 x 1024 positions, several at once; nor, from a model's projection in chunks, the logits themselves.
 *
 * <p>The vocabulary is chunked rather than the positions because its size is static while B and T are not. A
 * chunk is made once the previous chunk's statistics are done (it depends on a zero computed from them), so
 * SameDiff runs the chunks one after another and each chunk's [B,T,chunk] intermediates are released before
 * the next one's are made; the gradient's chunks likewise, one after the other and after every log-prob. A
 * vocabulary of at most one chunk is one plain pass over the logits.
 *
 * <p>SameDiff's autodiff differentiates the log-probs exactly at any vocabulary, but the gradient it builds
 * through each chunk's slice is a full [B,T,V] array: above one chunk, autodiff costs about one [B,T,V] array
 * per chunk, where {@link #gradient} (the route of {@code Qwen3Model#backward}) costs none beyond the chunks.
 */
public final class TargetLogProbs {

    /** Vocabulary entries per chunk: 128 MiB of float32 per intermediate at 4 x 1024 positions. */
    public static final int CHUNK = 8192;

    private final SameDiff sd;
    private final LogitChunks logits;
    private final SDVariable targets;
    private final double temperature;
    private final DataType dt;
    private final Stats plain;              // at temperature 1
    private final Stats tempered;           // at the temperature; null at temperature 1
    private final SDVariable target;        // [B,T] the target's logit
    private final SDVariable logp;          // [B,T] at temperature 1
    private final SDVariable logpTempered;  // [B,T] at the temperature
    private final SDVariable entropy;       // [B,T] nats, at temperature 1

    /**
     * The log-sum-exp of every row at one temperature, from each chunk's softmax (SameDiff's softmax has a
     * vectorised exponential, about 10x faster than its exp op): a chunk's log-sum-exp is its largest scaled logit
     * minus the log of its softmax's largest entry; {@code share} is the chunk's part of the row's probability.
     */
    private record Stats(SDVariable logSum, List<SDVariable> share) {
    }

    private TargetLogProbs(SameDiff sd, LogitChunks logits, SDVariable targets, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
        this.sd = sd;
        this.logits = logits;
        this.targets = targets;
        this.temperature = temperature;
        this.dt = logits.dataType();

        // Per chunk: its log-sum-exp (at 1 and at the temperature), the mean logit under its softmax (for the
        // entropy) and the target's logit where the target lies in it.
        List<SDVariable> logSums = new ArrayList<>();
        List<SDVariable> logSumsTempered = new ArrayList<>();
        List<SDVariable> meanLogits = new ArrayList<>();
        SDVariable targetLogit = null;
        SDVariable wait = sd.constant(Nd4j.createFromArray(0L));
        for (int k = 0; k < chunks(); k++) {
            SDVariable z = logits.chunk(k, wait);
            SDVariable p = sd.nn.softmax(z, 2);
            SDVariable logSum = logSum(z, p);
            SDVariable mean = sd.sum(p.mul(z), true, 2);
            SDVariable y = sd.sum(z.mul(oneHot(wait, k)), true, 2);
            SDVariable done = logSum.add(mean).add(y);
            logSums.add(logSum);
            meanLogits.add(mean);
            targetLogit = plus(targetLogit, y);
            if (temperature != 1.0) {
                SDVariable scaled = z.div(temperature);
                SDVariable logSumTempered = logSum(scaled, sd.nn.softmax(scaled, 2));
                logSumsTempered.add(logSumTempered);
                done = done.add(logSumTempered);
            }
            wait = after(done);
        }
        this.plain = stats(logSums);
        this.tempered = temperature != 1.0 ? stats(logSumsTempered) : null;
        this.target = sd.squeeze(targetLogit, 2);
        this.logp = target.sub(plain.logSum());
        SDVariable meanLogit = null;
        for (int k = 0; k < chunks(); k++) {
            meanLogit = plus(meanLogit, chunks() == 1 ? meanLogits.get(0) : plain.share().get(k).mul(meanLogits.get(k)));
        }
        this.entropy = plain.logSum().sub(sd.squeeze(meanLogit, 2));
        this.logpTempered = tempered != null ? target.div(temperature).sub(tempered.logSum()) : logp;
    }

    /** log sum exp(z) over the last axis, [B,T,1], from z and its softmax p: max(z) - log max(p). */
    private SDVariable logSum(SDVariable z, SDVariable p) {
        return sd.max(z, true, 2).sub(sd.math.log(sd.max(p, true, 2)));
    }

    /** The row's log-sum-exp [B,T] and each chunk's share of its probability from the chunks' log-sum-exps [B,T,1]. */
    private Stats stats(List<SDVariable> chunkLogSums) {
        if (chunkLogSums.size() == 1) {
            return new Stats(sd.squeeze(chunkLogSums.get(0), 2), null);
        }
        SDVariable all = sd.concat(2, chunkLogSums.toArray(SDVariable[]::new));                  // [B,T,K]
        SDVariable top = sd.max(all, true, 2);
        SDVariable logSum = top.add(sd.math.log(sd.sum(sd.math.exp(all.sub(top)), true, 2)));   // [B,T,1]
        List<SDVariable> share = chunkLogSums.stream().map(a -> sd.math.exp(a.sub(logSum))).toList();
        return new Stats(sd.squeeze(logSum, 2), share);
    }

    /** The routine on logits [B,T,V] and int targets [B,T], with log-probs at temperature 1 and at {@code temperature}. */
    public static TargetLogProbs attach(SameDiff sd, SDVariable logits, SDVariable targets, long vocabSize, double temperature) {
        return attach(sd, logits, targets, vocabSize, temperature, CHUNK);
    }

    /** {@link #attach} with {@code chunk} vocabulary entries per chunk (tests chunk small vocabularies). */
    public static TargetLogProbs attach(SameDiff sd, SDVariable logits, SDVariable targets, long vocabSize, double temperature, int chunk) {
        return attach(sd, LogitChunks.of(logits, vocabSize, chunk), targets, temperature);
    }

    /** The routine on logits made chunk by chunk (a model's projection, {@link LogitChunks}) and int targets [B,T]. */
    public static TargetLogProbs attach(SameDiff sd, LogitChunks logits, SDVariable targets, double temperature) {
        return new TargetLogProbs(sd, logits, targets, temperature);
    }

    /** log softmax(logits)[target], [B,T]. */
    public SDVariable logp() {
        return logp;
    }

    /** log softmax(logits / temperature)[target], [B,T]; {@link #logp()} at temperature 1. */
    public SDVariable logpTempered() {
        return logpTempered;
    }

    /** The entropy of softmax(logits) in nats, [B,T]. */
    public SDVariable entropy() {
        return entropy;
    }

    /**
     * dL/dlogits in chunks for a loss whose derivative is {@code dLogp} [B,T] with respect to {@link #logp()} and
     * {@code dLogpTempered} (or null) with respect to {@link #logpTempered()}:
     * (onehot - softmax(z)) dLogp + (onehot - softmax(z / tau)) dLogpTempered / tau.
     */
    public LogitsGradient gradient(SDVariable dLogp, SDVariable dLogpTempered) {
        if (dLogpTempered != null && tempered == null) {
            throw new IllegalArgumentException("no tempered log-probs at temperature 1: pass their derivative as dLogp");
        }
        SDVariable c = dLogp == null ? null : sd.expandDims(dLogp, 2);                                      // [B,T,1]
        SDVariable ct = dLogpTempered == null ? null : sd.expandDims(dLogpTempered.div(temperature), 2);
        SDVariable onHot = c == null ? ct : ct == null ? c : c.add(ct);
        // The first chunk starts once every log-prob is known, so that no chunk of the gradient waits in memory.
        SDVariable wait = after(onHot);
        List<SDVariable> parts = new ArrayList<>();
        for (int k = 0; k < chunks(); k++) {
            SDVariable z = logits.chunk(k, wait);
            SDVariable g = oneHot(wait, k).mul(onHot);
            if (c != null) {
                g = g.sub(sd.nn.softmax(z, 2).mul(scale(c, plain, k)));
            }
            if (ct != null) {
                g = g.sub(sd.nn.softmax(z.div(temperature), 2).mul(scale(ct, tempered, k)));
            }
            parts.add(g);
            wait = after(g);
        }
        return new LogitsGradient(parts, starts(), logits.vocabSize());
    }

    /** c times chunk k's share of the probability: the chunk's softmax times it is the row's softmax times c. */
    private static SDVariable scale(SDVariable c, Stats stats, int k) {
        return stats.share() == null ? c : c.mul(stats.share().get(k));
    }

    private long[] starts() {
        long[] starts = new long[chunks()];
        for (int k = 0; k < starts.length; k++) {
            starts[k] = logits.start(k);
        }
        return starts;
    }

    private int chunks() {
        return logits.count();
    }

    /** The one-hot of the targets within chunk k, [B,T,width]: all zeros where the target lies in another chunk. */
    private SDVariable oneHot(SDVariable wait, int k) {
        SDVariable index = chunks() == 1 ? targets
                : targets.sub(sd.castTo(wait.add(logits.start(k)), targets.dataType()));
        return sd.oneHot(index, (int) logits.width(k), -1, 1.0, 0.0, dt);
    }

    /** An INT64 zero [1] computed from {@code result}, so that what depends on it waits for it (the constant zero for one chunk). */
    private SDVariable after(SDVariable result) {
        if (chunks() == 1) {
            return sd.constant(Nd4j.createFromArray(0L));
        }
        return LogitChunks.after(result);
    }

    private static SDVariable plus(SDVariable total, SDVariable term) {
        return total == null ? term : total.add(term);
    }
}
