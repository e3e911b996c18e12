package dev.echo4j.objective;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.samediff.Dl4jLogging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The objective attached to a small SameDiff LM actually trains it, in the direction each term asks. */
class EchoObjectiveLearningTest {

    private static final int V = 16;
    private static final int B = 4;
    private static final int T = 12;
    private static final String INPUT = "input_ids";

    /** A 2-layer toy LM: embedding, tanh hidden layer, output layer. */
    private static SameDiff toyLm(long seed) {
        Nd4j.getRandom().setSeed(seed);
        SameDiff sd = SameDiff.create();
        SDVariable ids = sd.placeHolder(INPUT, DataType.INT32, -1, -1);
        SDVariable embedding = sd.var("embedding", Nd4j.randn(DataType.FLOAT, V, 32).muli(0.1));
        SDVariable w1 = sd.var("w1", Nd4j.randn(DataType.FLOAT, 32, 32).muli(0.1));
        SDVariable w2 = sd.var("w2", Nd4j.randn(DataType.FLOAT, 32, V).muli(0.1));
        SDVariable x = sd.oneHot(ids.reshape(-1), V, -1, 1.0, 0.0, DataType.FLOAT).mmul(embedding);  // [B*T,32]
        SDVariable h = sd.math.tanh(x.mmul(w1));
        SDVariable logitsShape = sd.concat(0, sd.shape(ids), sd.constant(Nd4j.createFromArray((long) V)));
        h.mmul(w2).reshape(logitsShape).rename("logits");                                              // [B,T,V]
        return sd;
    }

    private static INDArray randomIds(long seed) {
        java.util.Random random = new java.util.Random(seed);
        int[][] ids = new int[B][T];
        for (int[] row : ids) {
            java.util.Arrays.setAll(row, i -> random.nextInt(V));
        }
        return Nd4j.createFromArray(ids);
    }

    private static Map<String, INDArray> feeds(EchoObjective echo, INDArray ids, ObjectiveBatch batch) {
        Map<String, INDArray> feeds = new HashMap<>(echo.placeholders(batch, new long[] {B, T, V}));
        feeds.put(INPUT, ids);
        return feeds;
    }

    private static void fit(SameDiff sd, Map<String, INDArray> feeds, int steps) {
        List<String> names = new ArrayList<>(feeds.keySet());
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-2)).dataSetFeatureMapping(names).markLabelsUnused().build());
        MultiDataSet data = new MultiDataSet(names.stream().map(feeds::get).toArray(INDArray[]::new), new INDArray[0]);
        Dl4jLogging.quietly(() -> {
            for (int i = 0; i < steps; i++) {
                sd.fit(data);
            }
        });
    }

    @Test
    void envLossAloneLowersEnvCrossEntropyByHalf() {
        SameDiff sd = toyLm(1);
        EchoObjective echo = EchoObjective.attach(sd, sd.getVariable("logits"), V, EchoConfig.DEFAULTS.withPolicyCoef(0).withLambda(1));
        INDArray ids = randomIds(5);
        INDArray targets = Nd4j.concat(1, ids.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, T)), Nd4j.zeros(DataType.INT32, B, 1));
        INDArray roles = Nd4j.zeros(DataType.INT32, B, T);
        for (int t = 4; t < T; t++) {
            roles.putScalar(new int[] {0, t}, 2);
            roles.putScalar(new int[] {2, t}, 2);
            roles.putScalar(new int[] {3, t}, t % 2 == 0 ? 2 : 1);
        }
        ObjectiveBatch batch = new ObjectiveBatch(targets, roles, Nd4j.zeros(DataType.FLOAT, B),
                Nd4j.zeros(DataType.FLOAT, B, T), null);
        Map<String, INDArray> feeds = feeds(echo, ids, batch);
        double before = sd.output(feeds, EchoObjective.ENV_CE).get(EchoObjective.ENV_CE).getDouble(0);
        fit(sd, feeds, 50);
        double after = sd.output(feeds, EchoObjective.ENV_CE).get(EchoObjective.ENV_CE).getDouble(0);
        assertTrue(after <= 0.5 * before, "env_ce " + before + " -> " + after + ": expected at least a 50% drop in 50 Adam steps");
    }

    @Test
    void policyLossRaisesLogProbsOfPositiveAdvantageActions() {
        SameDiff sd = toyLm(2);
        EchoObjective echo = EchoObjective.attach(sd, sd.getVariable("logits"), V, EchoConfig.DEFAULTS.withLambda(0));
        INDArray ids = randomIds(3);
        INDArray targets = randomIds(4);
        INDArray roles = Nd4j.zeros(DataType.INT32, B, T);
        for (int t = 6; t < T; t++) {
            for (int b = 0; b < B; b++) {
                roles.putScalar(new int[] {b, t}, 1);
            }
        }
        INDArray advantages = Nd4j.createFromArray(1f, 1f, 0f, 0f);
        ObjectiveBatch probe = new ObjectiveBatch(targets, roles, advantages, Nd4j.zeros(DataType.FLOAT, B, T), null);
        INDArray oldLogp = sd.output(feeds(echo, ids, probe), EchoObjective.LOGP).get(EchoObjective.LOGP);
        Map<String, INDArray> feeds = feeds(echo, ids, new ObjectiveBatch(targets, roles, advantages, oldLogp, null));
        fit(sd, feeds, 5);
        INDArray newLogp = sd.output(feeds, EchoObjective.LOGP).get(EchoObjective.LOGP);
        INDArray actionMask = roles.eq(1).castTo(DataType.FLOAT);
        for (int b = 0; b < 2; b++) {
            double gain = newLogp.sub(oldLogp).mul(actionMask).getRow(b).sumNumber().doubleValue();
            assertTrue(gain > 0, "rollout " + b + " (advantage +1): action log-probs should rise, changed by " + gain);
        }
    }
}
