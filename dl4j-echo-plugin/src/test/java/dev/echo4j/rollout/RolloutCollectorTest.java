package dev.echo4j.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.sampling.Sampler;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.sampling.SamplingResult;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.transcript.EndReason;
import dev.echo4j.transcript.TokenRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token bookkeeping of real sandboxed episodes, with a policy that always answers the same command:
 * sampled ids are kept as sampled, with their log-probs, and every role decodes to exactly its text.
 */
class RolloutCollectorTest {

    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();
    private static final ChatTemplate TEMPLATE = new ChatTemplate(TOKENIZER);
    private static final String ACTION = "<bash>echo hello-$((6*7))</bash>";

    /** A stand-in policy: the same action for every prompt, each token with log-prob -0.5. */
    private static final Sampler SAME_ACTION = (prompts, config) -> {
        int[] tokens = IntStream.concat(Arrays.stream(TOKENIZER.encode(ACTION)), IntStream.of(TEMPLATE.endOfTurnId())).toArray();
        float[] logProbs = new float[tokens.length];
        Arrays.fill(logProbs, -0.5f);
        List<SamplingResult.Sequence> out = new ArrayList<>();
        for (int[] ignored : prompts) {
            out.add(new SamplingResult.Sequence(tokens, logProbs, true));
        }
        return new SamplingResult(out);
    };

    @Test
    void rolesLogProbsAndTextLineUp(@TempDir Path tmp) {
        List<Task> tasks = TaskSets.prepare(tmp, Split.TRAIN, 2, 3);
        RolloutSettings settings = new RolloutSettings(2, 64, 5, 60, 256, 4096, 2, RolloutSettings.DEFAULT_GENERATION_BATCH);
        List<Rollout> rollouts;
        try (RolloutCollector collector = new RolloutCollector(SAME_ACTION, TEMPLATE, SandboxConfig.defaults(), settings)) {
            rollouts = collector.collect(tasks, 2, SamplingConfig.sample(1, 64, List.of(TEMPLATE.endOfTurnId())));
        }
        assertEquals(4, rollouts.size());
        assertEquals(List.of(0, 0, 1, 1), rollouts.stream().map(Rollout::group).toList());
        for (Rollout r : rollouts) {
            assertEquals(EndReason.MAX_TURNS, r.endReason());
            assertEquals(0.0, r.reward(), "echoing a word solves no task");
            assertEquals((ACTION + "<|im_end|>").repeat(2), decode(r, TokenRole.ACTION));
            String env = decode(r, TokenRole.ENV);
            assertTrue(env.contains("hello-42"), env);
            assertEquals(r.transcript().messages().get(3).content() + r.transcript().messages().get(5).content(), env,
                    "both observations, the last one included, decode to the transcript's text");
            for (int i = 0; i < r.length(); i++) {
                float expected = r.roles()[i] == TokenRole.ACTION.id() ? -0.5f : 0f;
                assertEquals(expected, r.logProbs()[i], "log-prob at " + i);
            }
            assertEquals(2 * (TOKENIZER.encode(ACTION).length + 1), r.generated());
        }
    }

    private static String decode(Rollout r, TokenRole role) {
        return TOKENIZER.decode(IntStream.range(0, r.length()).filter(i -> r.roles()[i] == role.id()).map(i -> r.ids()[i]).toArray());
    }
}
