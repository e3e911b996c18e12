package dev.echo4j.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory bound of a training update at a vocabulary of several chunks: every array SameDiff allocates
 * during an ECHO update through the model's backward pass (every scalar, every weight's gradient) holds fewer
 * than B x T x V values, and no intermediate of the objective is larger than one chunk of the logits. On the
 * model's logits made chunk by chunk ({@code Qwen3Model#logitChunks}) that holds for every array; on a logits
 * variable [B,T,V] (a user's own model), for every array but the logits themselves (the head's product and its
 * reshape).
 */
class LargeVocabularyMemoryTest {

    private static final int B = 2;
    private static final int T = 24;
    private static final int V = 2 * TargetLogProbs.CHUNK + 700;

    @Test
    void anEchoUpdateOnTheChunkedHeadAllocatesNoVocabularySizedArray() {
        Qwen3Model model = model();
        Allocations seen = update(model, EchoObjective.attach(model.sd(), model.logitChunks(), EchoConfig.DEFAULTS.withLogprobTemperature(0.9)));
        assertEquals(List.of(), seen.vocabularySized, "arrays of B x T x V values or more");
        seen.assertNoneAboveOneChunk();
    }

    @Test
    void anEchoUpdateOnWholeLogitsAllocatesNoVocabularySizedArrayBeyondThem() {
        Qwen3Model model = model();
        Allocations seen = update(model, EchoObjective.attach(model.sd(), model.logits(), V, EchoConfig.DEFAULTS.withLogprobTemperature(0.9)));
        assertEquals(2, seen.vocabularySized.size(), "arrays of B x T x V values or more (only the logits and their reshape): " + seen.vocabularySized);
        seen.assertNoneAboveOneChunk();
    }

    private static Qwen3Model model() {
        return Qwen3Model.create(new ModelConfig(V, 16, 32, 1, 2, 1, 8, 1e-6, 10000, true, 64, null), 5);
    }

    /** What one update's ops returned: the arrays of B x T x V values or more, and the largest other one not a multiple of V. */
    private static final class Allocations {
        final List<String> vocabularySized = new ArrayList<>();
        long largestOther;

        void assertNoneAboveOneChunk() {
            assertTrue(largestOther <= (long) B * T * TargetLogProbs.CHUNK, "an intermediate of " + largestOther
                    + " values, more than one chunk of the logits (" + (long) B * T * TargetLogProbs.CHUNK + ")");
        }
    }

    private static Allocations update(Qwen3Model model, EchoObjective objective) {
        Map<String, SDVariable> gradients = model.backward(objective.logitsGradient());
        List<String> outputs = new ArrayList<>(EchoObjective.METRICS);
        outputs.add(EchoObjective.ENTROPY);
        gradients.values().forEach(g -> outputs.add(g.name()));

        long full = (long) B * T * V;
        Allocations seen = new Allocations();
        model.sd().setListeners(new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context, INDArray[] results) {
                for (INDArray out : results) {
                    if (out != null && out.length() >= full) {
                        seen.vocabularySized.add(op.getName() + " " + java.util.Arrays.toString(out.shape()));
                    } else if (out != null && out.length() % V != 0) {
                        seen.largestOther = Math.max(seen.largestOther, out.length());
                    }
                }
            }
        });
        Map<String, INDArray> values = model.sd().output(feeds(objective), outputs);
        model.sd().setListeners();
        assertTrue(Double.isFinite(values.get(EchoObjective.LOSS).getDouble(0)), "a finite loss");
        return seen;
    }

    private static Map<String, INDArray> feeds(EchoObjective objective) {
        INDArray ids = Nd4j.rand(DataType.FLOAT, B, T).muli(V - 1).castTo(DataType.INT32);
        INDArray targets = Nd4j.rand(DataType.FLOAT, B, T).muli(V - 1).castTo(DataType.INT32);
        int[][] roles = new int[B][T];
        for (int t = 0; t < T; t++) {
            roles[0][t] = 1 + t % 3;
            roles[1][t] = 1 + (t / 4) % 2;
        }
        INDArray old = Nd4j.valueArrayOf(new long[] {B, T}, -Math.log(V), DataType.FLOAT);
        Map<String, INDArray> feeds = new HashMap<>(objective.placeholders(new ObjectiveBatch(targets, Nd4j.createFromArray(roles),
                Nd4j.createFromArray(1.0f, -1.0f), old, null), new long[] {B, T, V}));
        feeds.put(Qwen3Model.INPUT_IDS, ids);
        feeds.put(Qwen3Model.ATTENTION_MASK, Nd4j.ones(DataType.INT32, B, T));
        return feeds;
    }
}
