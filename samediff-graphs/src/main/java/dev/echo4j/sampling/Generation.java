package dev.echo4j.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** The generation loop shared by the samplers: pick, stop, feed back. */
final class Generation {

    private Generation() {
    }

    /** One sampling setting for the whole batch; the random streams are split from its seed in prompt order. */
    static SamplingResult run(DecodingSession session, int[][] prompts, SamplingConfig config) {
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom[] random = new SplittableRandom[prompts.length];
        for (int b = 0; b < prompts.length; b++) {
            random[b] = root.split();   // one stream per sequence: results do not depend on finishing order
        }
        return run(session, prompts, Collections.nCopies(prompts.length, config), random, TokenListener.NONE);
    }

    /**
     * A setting per prompt. Each sequence draws from the stream a batch of one with its own seed would use,
     * so its tokens do not depend on what it was batched with.
     */
    static SamplingResult run(DecodingSession session, int[][] prompts, List<SamplingConfig> configs, TokenListener listener) {
        if (configs.size() != prompts.length) {
            throw new IllegalArgumentException(configs.size() + " sampling configs for " + prompts.length + " prompts; give one per prompt");
        }
        SplittableRandom[] random = new SplittableRandom[prompts.length];
        for (int b = 0; b < prompts.length; b++) {
            random[b] = new SplittableRandom(configs.get(b).seed()).split();
        }
        return run(session, prompts, configs, random, listener);
    }

    private static SamplingResult run(DecodingSession session, int[][] prompts, List<SamplingConfig> configs, SplittableRandom[] random,
                                      TokenListener listener) {
        int batch = prompts.length;
        TokenPicker[] pickers = new TokenPicker[batch];
        int[][] tokens = new int[batch][];
        float[][] logProbs = new float[batch][];
        int steps = 0;
        for (int b = 0; b < batch; b++) {
            SamplingConfig config = configs.get(b);
            pickers[b] = new TokenPicker(config);
            tokens[b] = new int[config.maxNewTokens()];
            logProbs[b] = new float[config.maxNewTokens()];
            steps = Math.max(steps, config.maxNewTokens());
        }
        int[] length = new int[batch];
        boolean[] done = new boolean[batch];
        boolean[] stopped = new boolean[batch];
        float[][] logits = session.prefill(prompts);
        for (int step = 0; step < steps; step++) {
            int[] next = new int[batch];
            boolean allDone = true;
            for (int b = 0; b < batch; b++) {
                if (done[b]) {
                    next[b] = tokens[b][length[b] - 1];   // keeps the batch rectangular; the output is ignored
                    continue;
                }
                TokenPicker.Pick pick = pickers[b].pick(logits[b], random[b]);
                next[b] = pick.token();
                tokens[b][length[b]] = pick.token();
                logProbs[b][length[b]++] = pick.logProb();
                stopped[b] = configs.get(b).isStop(pick.token());
                boolean goOn = listener.onToken(b, pick.token(), pick.logProb());
                done[b] = stopped[b] || !goOn || length[b] == tokens[b].length;
                allDone &= done[b];
            }
            if (allDone) {
                break;
            }
            logits = session.step(next);
        }
        List<SamplingResult.Sequence> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            out.add(new SamplingResult.Sequence(Arrays.copyOf(tokens[b], length[b]), Arrays.copyOf(logProbs[b], length[b]), stopped[b]));
        }
        return new SamplingResult(out);
    }
}
