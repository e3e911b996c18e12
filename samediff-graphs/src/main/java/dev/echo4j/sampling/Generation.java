package dev.echo4j.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** The generation loop shared by the samplers: pick, stop, feed back. */
final class Generation {

    private Generation() {
    }

    static SamplingResult run(DecodingSession session, int[][] prompts, SamplingConfig config) {
        int batch = prompts.length;
        TokenPicker picker = new TokenPicker(config);
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom[] random = new SplittableRandom[batch];
        for (int b = 0; b < batch; b++) {
            random[b] = root.split();   // one stream per sequence: results do not depend on finishing order
        }
        int[][] tokens = new int[batch][config.maxNewTokens()];
        float[][] logProbs = new float[batch][config.maxNewTokens()];
        int[] length = new int[batch];
        boolean[] done = new boolean[batch];
        boolean[] stopped = new boolean[batch];
        float[][] logits = session.prefill(prompts);
        for (int step = 0; step < config.maxNewTokens(); step++) {
            int[] next = new int[batch];
            boolean allDone = true;
            for (int b = 0; b < batch; b++) {
                if (done[b]) {
                    next[b] = tokens[b][length[b] - 1];   // keeps the batch rectangular; the output is ignored
                    continue;
                }
                TokenPicker.Pick pick = picker.pick(logits[b], random[b]);
                next[b] = pick.token();
                tokens[b][length[b]] = pick.token();
                logProbs[b][length[b]++] = pick.logProb();
                stopped[b] = config.isStop(pick.token());
                done[b] = stopped[b] || length[b] == config.maxNewTokens();
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
