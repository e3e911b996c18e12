package dev.echo4j.examples;

import dev.echo4j.objective.EchoConfig;
import dev.echo4j.objective.EchoObjective;
import dev.echo4j.objective.ObjectiveBatch;
import dev.echo4j.samediff.Dl4jLogging;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** Attach ECHO to your own SameDiff language model: anything that outputs logits [B,T,V]. */
public class AttachEchoToYourModel {

    public static void main(String[] args) {
        int vocab = 8;
        // 1. Your model: here a one-layer LM over token ids [B,T] -> logits [B,T,V].
        SameDiff sd = SameDiff.create();
        SDVariable ids = sd.placeHolder("input_ids", DataType.INT32, -1, -1);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, vocab, vocab).muli(0.1));
        SDVariable logitsShape = sd.concat(0, sd.shape(ids), sd.constant(Nd4j.createFromArray((long) vocab)));
        SDVariable logits = sd.oneHot(ids.reshape(-1), vocab, -1, 1.0, 0.0, DataType.FLOAT).mmul(w).reshape(logitsShape);

        // 2. Attach ECHO: placeholders targets/roles/advantages/old_logp/ref_logp, outputs loss, env_ce, ...
        EchoObjective echo = EchoObjective.attach(sd, logits, vocab, EchoConfig.DEFAULTS.withLambda(0.5));

        // 3. One batch of two rollouts: roles per target token (0 prompt, 1 action, 2 terminal output, 3 warning).
        INDArray input = Nd4j.createFromArray(new int[][] {{0, 1, 2, 3, 4, 5}, {0, 1, 2, 6, 7, 5}});
        INDArray targets = Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 5, 0}, {1, 2, 6, 7, 5, 0}});
        INDArray roles = Nd4j.createFromArray(new int[][] {{0, 1, 1, 2, 2, 0}, {0, 1, 1, 2, 3, 0}});
        INDArray advantages = Nd4j.createFromArray(1f, -1f);                      // rollout 0 passed, rollout 1 failed
        INDArray oldLogp = Nd4j.zeros(DataType.FLOAT, 2, 6).subi(Math.log(vocab));  // from sampling time
        Map<String, INDArray> feeds = new HashMap<>(echo.placeholders(
                new ObjectiveBatch(targets, roles, advantages, oldLogp, null), new long[] {2, 6, vocab}));
        feeds.put("input_ids", input);

        // 4. Train with SameDiff's own fit loop; every input goes in as a feature.
        String[] names = feeds.keySet().toArray(String[]::new);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(0.05)).dataSetFeatureMapping(names).markLabelsUnused().build());
        MultiDataSet batch = new MultiDataSet(java.util.Arrays.stream(names).map(feeds::get).toArray(INDArray[]::new), new INDArray[0]);
        for (int step = 0; step <= 20; step++) {
            Map<String, INDArray> m = sd.output(feeds, EchoObjective.LOSS, EchoObjective.POLICY_LOSS, EchoObjective.ENV_CE);
            if (step % 5 == 0) {
                System.out.printf("step %2d  loss %.4f  policy_loss %.4f  env_ce %.4f nats/token%n", step,
                        m.get("loss").getDouble(0), m.get("policy_loss").getDouble(0), m.get("env_ce").getDouble(0));
            }
            Dl4jLogging.quietly(() -> sd.fit(batch));
        }
    }
}
