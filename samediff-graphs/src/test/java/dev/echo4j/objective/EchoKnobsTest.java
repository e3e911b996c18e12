package dev.echo4j.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The objective's knobs against their definitions, computed by hand from the same logits: log-probs at a
 * temperature for the policy term only, per-role weights, a lambda changed between updates, and the env term
 * still teaching when every advantage is zero.
 */
class EchoKnobsTest {

    private static final int B = 2;
    private static final int T = 6;
    private static final int V = 7;
    private static final int[][] ROLES = {{0, 1, 1, 2, 2, 3}, {1, 2, 3, 2, 1, 0}};

    private final INDArray logits = Nd4j.randn(DataType.DOUBLE, B, T, V).muli(2).addi(Nd4j.rand(DataType.DOUBLE, B, T, V));
    private final int[][] targets = {{3, 0, 6, 2, 5, 1}, {4, 4, 0, 1, 6, 2}};

    private Map<String, INDArray> run(EchoConfig config, double[] advantages, double setLambda, String... outputs) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("logits", DataType.DOUBLE, -1, -1, V);
        EchoObjective echo = EchoObjective.attach(sd, in, V, config);
        if (setLambda >= 0) {
            echo.setLambda(setLambda);
        }
        INDArray old = Nd4j.valueArrayOf(new long[] {B, T}, -2.0, DataType.DOUBLE);
        Map<String, INDArray> feeds = new HashMap<>(echo.placeholders(new ObjectiveBatch(Nd4j.createFromArray(targets),
                Nd4j.createFromArray(ROLES), Nd4j.createFromArray(advantages), old, null), new long[] {B, T, V}));
        feeds.put("logits", logits);
        return sd.output(feeds, outputs);
    }

    private double logSoftmax(int b, int t, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < V; v++) {
            max = Math.max(max, logits.getDouble(b, t, v) / temperature);
        }
        double sum = 0;
        for (int v = 0; v < V; v++) {
            sum += Math.exp(logits.getDouble(b, t, v) / temperature - max);
        }
        return logits.getDouble(b, t, targets[b][t]) / temperature - max - Math.log(sum);
    }

    @Test
    void policyLogProbsAreAtTheTemperatureAndTheWorldModelsAreNot() {
        EchoConfig config = EchoConfig.DEFAULTS.withLogprobTemperature(0.7);
        Map<String, INDArray> out = run(config, new double[] {0.5, -0.5}, -1, EchoObjective.LOGP, EchoObjective.ENV_CE);
        double envNll = 0;
        int envTokens = 0;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                assertEquals(logSoftmax(b, t, 0.7), out.get(EchoObjective.LOGP).getDouble(b, t), 1e-9);
                if (ROLES[b][t] == 2) {
                    envNll -= logSoftmax(b, t, 1.0);
                    envTokens++;
                }
            }
        }
        assertEquals(envNll / envTokens, out.get(EchoObjective.ENV_CE).getDouble(0), 1e-9);
    }

    @Test
    void roleWeightsScaleTheirTokensInsideEachTermAndNotTheNormalisers() {
        RoleWeights weights = new RoleWeights(0.5, 2.0, 0.25);
        EchoConfig config = EchoConfig.DEFAULTS.withRoleWeights(weights);
        Map<String, INDArray> out = run(config, new double[] {0.0, 0.0}, -1, EchoObjective.ENV_LOSS);
        double expected = 0;
        for (int b = 0; b < B; b++) {
            double nll = 0;
            int observation = 0;
            for (int t = 0; t < T; t++) {
                int role = ROLES[b][t];
                double w = role == 2 ? weights.env() : role == 3 ? weights.warning() : 0;
                nll -= w * logSoftmax(b, t, 1.0);
                observation += role == 2 || role == 3 ? 1 : 0;
            }
            expected += nll / observation / B;
        }
        assertEquals(expected, out.get(EchoObjective.ENV_LOSS).getDouble(0), 1e-9);
    }

    @Test
    void aLambdaSetBetweenUpdatesIsTheOneTheLossUses() {
        double[] adv = {0.7, -1.1};
        Map<String, INDArray> before = run(EchoConfig.DEFAULTS, adv, -1, EchoObjective.LOSS, EchoObjective.POLICY_LOSS, EchoObjective.ENV_LOSS);
        Map<String, INDArray> after = run(EchoConfig.DEFAULTS, adv, 0.3, EchoObjective.LOSS, EchoObjective.POLICY_LOSS, EchoObjective.ENV_LOSS);
        for (var out : List.of(before, after)) {
            assertTrue(out.get(EchoObjective.ENV_LOSS).getDouble(0) > 0);
        }
        assertEquals(before.get(EchoObjective.POLICY_LOSS).getDouble(0) + 0.05 * before.get(EchoObjective.ENV_LOSS).getDouble(0),
                before.get(EchoObjective.LOSS).getDouble(0), 1e-9);
        assertEquals(after.get(EchoObjective.POLICY_LOSS).getDouble(0) + 0.3 * after.get(EchoObjective.ENV_LOSS).getDouble(0),
                after.get(EchoObjective.LOSS).getDouble(0), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> run(EchoConfig.DEFAULTS.withLambda(0), adv, 0.1, EchoObjective.LOSS));
    }

    @Test
    void groupsWhoseRewardsAreAllEqualStillTeachTheWorldModel() {
        double[] zero = {0.0, 0.0};
        INDArray echo = run(EchoConfig.DEFAULTS, zero, -1, EchoObjective.LOGITS_GRADIENT).get(EchoObjective.LOGITS_GRADIENT);
        INDArray grpo = run(EchoConfig.DEFAULTS.withLambda(0), zero, -1, EchoObjective.LOGITS_GRADIENT).get(EchoObjective.LOGITS_GRADIENT);
        assertEquals(0.0, grpo.amaxNumber().doubleValue(), 0.0, "GRPO has nothing to learn from zero advantages");
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                double size = echo.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b), org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).amaxNumber().doubleValue();
                assertEquals(ROLES[b][t] == 2, size > 1e-6, "position " + b + "," + t + " role " + ROLES[b][t]);
            }
        }
    }

    @Test
    void lambdaSchedules() {
        LambdaSchedule linear = new LambdaSchedule(LambdaSchedule.Kind.LINEAR_DECAY, 0.2, 10, 1, 1.0);
        assertEquals(0.05, linear.at(0.05, 0), 1e-12);
        assertEquals(0.05 * 0.6, linear.at(0.05, 5), 1e-12);
        assertEquals(0.05 * 0.2, linear.at(0.05, 10), 1e-12);
        assertEquals(0.05 * 0.2, linear.at(0.05, 400), 1e-12);
        LambdaSchedule steps = new LambdaSchedule(LambdaSchedule.Kind.STEP_DECAY, 0, 1, 4, 0.5);
        assertEquals(0.1, steps.at(0.1, 3), 1e-12);
        assertEquals(0.05, steps.at(0.1, 4), 1e-12);
        assertEquals(0.025, steps.at(0.1, 9), 1e-12);
        assertEquals(0.1, LambdaSchedule.CONSTANT.at(0.1, 1000), 0);
        assertThrows(IllegalArgumentException.class, () -> new LambdaSchedule(LambdaSchedule.Kind.STEP_DECAY, 0, 1, 4, 1.5));
    }
}
