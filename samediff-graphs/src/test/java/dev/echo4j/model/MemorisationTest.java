package dev.echo4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.samediff.Dl4jLogging;
import dev.echo4j.samediff.OffHeapMemory;
import dev.echo4j.tokenizer.ByteTokenizer;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The tiny zoo model, trained with SameDiff's fit, learns a fixed text by heart. */
class MemorisationTest {

    private static final String TEXT = "$ ls /tmp\nnotes.txt  echo4j.log\n$ cat notes.txt\nbuy milk";
    private static final int MAX_STEPS = 200;

    @Test
    void tinyModelMemorisesAShortText() {
        int[] bytes = new ByteTokenizer().encode(TEXT);
        int n = bytes.length - 1;
        INDArray ids = Nd4j.createFromArray(new int[][] {Arrays.copyOf(bytes, n)});
        INDArray targets = Nd4j.createFromArray(new int[][] {Arrays.copyOfRange(bytes, 1, n + 1)});
        int[][] ones = new int[1][n];
        Arrays.fill(ones[0], 1);
        INDArray mask = Nd4j.createFromArray(ones);

        Qwen3Model model = Qwen3Model.create(ModelConfig.zoo("tiny"), 1);
        NextTokenLoss.attach(model);
        model.sd().setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(3e-3))
                .dataSetFeatureMapping(Qwen3Model.INPUT_IDS, Qwen3Model.ATTENTION_MASK)
                .dataSetLabelMapping(NextTokenLoss.TARGETS)
                .build());
        MultiDataSet batch = new MultiDataSet(new INDArray[] {ids, mask}, new INDArray[] {targets});
        Map<String, INDArray> in = Map.of(Qwen3Model.INPUT_IDS, ids, Qwen3Model.ATTENTION_MASK, mask, NextTokenLoss.TARGETS, targets);
        OffHeapMemory memory = new OffHeapMemory();
        double loss = Double.NaN;
        int step = 0;
        while (step < MAX_STEPS) {
            Dl4jLogging.quietly(() -> model.sd().fit(batch));
            memory.step();
            if (++step % 10 == 0) {
                loss = model.sd().output(in, NextTokenLoss.LOSS).get(NextTokenLoss.LOSS).getDouble(0);
                if (loss < 0.1) {
                    break;
                }
            }
        }
        assertTrue(loss < 0.1, "loss " + loss + " after " + step + " steps");
    }
}
