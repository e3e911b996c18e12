package dev.echo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.transcript.TokenRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an ECHO update leaves allocated once it returns, at a vocabulary above one chunk of the log-prob routine:
 * SameDiff kept the logits [B,T,V], their copies and its cache of released arrays referenced until the next
 * update (a [B,T,V] array several times over), which grew a second update's peak over the first's.
 */
class PolicyOptimizerMemoryTest {

    private static final int VOCAB = 20_000;
    private static final int BATCH = 2;
    private static final int LENGTH = 48;

    @Test
    void anUpdateLeavesNoneOfItsArraysBehindAndTheWeightsIntact() {
        ModelConfig tiny = ModelConfig.load("tiny");
        ModelConfig config = new ModelConfig(VOCAB, 32, 64, 1, tiny.numAttentionHeads(), tiny.numKeyValueHeads(), 32 / tiny.numAttentionHeads(),
                tiny.rmsNormEps(), tiny.ropeTheta(), tiny.tieWordEmbeddings(), tiny.maxPositionEmbeddings(), tiny.torchDtype());
        Qwen3Model model = Qwen3Model.create(config, 5);
        PolicyOptimizer optimizer = new PolicyOptimizer(model, EchoConfig.DEFAULTS, OptimizerConfig.DEFAULTS);
        TrainingBatch batch = batch();
        long logitsBytes = (long) BATCH * (LENGTH - 1) * VOCAB * 4;

        List<Double> losses = new ArrayList<>();
        for (int update = 0; update < 3; update++) {
            losses.add(optimizer.update(batch).get("loss"));
            long held = heldBytes(model);
            assertTrue(held < logitsBytes / 8, "after update " + update + " the graph's sessions still hold " + held
                    + " bytes of intermediates (one [B,T,V] array is " + logitsBytes + ")");
        }
        // Two micro-batches: the first one's gradients survive the release that follows the second's pass.
        losses.add(optimizer.update(List.of(batch, batch)).get("loss"));
        assertTrue(heldBytes(model) < logitsBytes / 8, "micro-batched update: " + heldBytes(model) + " bytes held");
        assertTrue(losses.stream().allMatch(Double::isFinite), "finite losses " + losses);

        // The weights were neither closed nor changed by the release: a new model over them gives the same logits.
        int[][] ids = {{257, 104, 105, 10, 108}};
        int[][] mask = {{1, 1, 1, 1, 1}};
        INDArray logits = model.forward(ids, mask);
        Map<String, INDArray> weights = model.weights();
        INDArray copy = Qwen3Model.fromWeights(config, weights, model.dataType()).forward(ids, mask);
        assertEquals(0.0, logits.sub(copy).amaxNumber().doubleValue(), 1e-6);
    }

    /** Bytes of the op outputs the sessions still reference (variables, constants and placeholders aside) plus their caches. */
    private static long heldBytes(Qwen3Model model) {
        long bytes = 0;
        for (InferenceSession session : model.sd().getSessions().values()) {
            for (Map.Entry<?, SDValue> e : session.getNodeValueOutputs().entrySet()) {
                var id = (org.nd4j.autodiff.samediff.internal.AbstractSession.VarId) e.getKey();
                var variable = model.sd().getVariable(id.getVariable());
                INDArray a = e.getValue() == null ? null : e.getValue().getTensorValue();
                if (a != null && !a.wasClosed() && variable != null && variable.getVariableType() == VariableType.ARRAY) {
                    bytes += a.length() * a.dataType().width();
                }
            }
            if (session.getMmgr() instanceof ArrayCacheMemoryMgr cache) {
                bytes += cache.getCurrentCacheSize();
            }
        }
        return bytes;
    }

    private static TrainingBatch batch() {
        SplittableRandom random = new SplittableRandom(7);
        List<int[]> ids = new ArrayList<>();
        List<int[]> roles = new ArrayList<>();
        for (int b = 0; b < BATCH; b++) {
            ids.add(random.ints(LENGTH, 0, VOCAB).toArray());
            int[] role = new int[LENGTH];
            for (int t = LENGTH / 4; t < LENGTH; t++) {
                role[t] = (t / 8 % 2 == 0 ? TokenRole.ACTION : TokenRole.ENV).id();
            }
            roles.add(role);
        }
        return TrainingBatch.of(ids, roles, ids.stream().map(s -> new float[s.length]).toList(), new double[] {1, -1});
    }
}
