package dev.echo4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingBatchTest {

    @Test
    void targetsRolesAndLogProbsAreShiftedByOneAndPaddedRight() {
        TrainingBatch b = TrainingBatch.of(List.of(new int[] {5, 6, 7, 8}, new int[] {9, 10}),
                List.of(new int[] {0, 1, 2, 3}, new int[] {0, 1}),
                List.of(new float[] {0, -1, -2, -3}, new float[] {0, -4}), new double[] {1, -1});
        assertArrayEquals(new long[] {2, 3}, b.inputIds().shape());
        assertArrayEquals(new int[] {5, 6, 7}, b.inputIds().getRow(0).toIntVector());
        assertArrayEquals(new int[] {6, 7, 8}, b.objective().targets().getRow(0).toIntVector());
        assertArrayEquals(new int[] {1, 2, 3}, b.objective().roles().getRow(0).toIntVector());
        assertArrayEquals(new float[] {-1, -2, -3}, b.objective().oldLogp().getRow(0).toFloatVector());
        assertArrayEquals(new int[] {9, 0, 0}, b.inputIds().getRow(1).toIntVector());
        assertArrayEquals(new int[] {1, 0, 0}, b.attentionMask().getRow(1).toIntVector());
        assertArrayEquals(new int[] {1, 0, 0}, b.objective().roles().getRow(1).toIntVector(), "padding is never a target");
        assertEquals(4, b.tokens());
    }
}
