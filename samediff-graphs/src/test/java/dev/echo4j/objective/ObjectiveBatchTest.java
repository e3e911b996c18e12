package dev.echo4j.objective;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Bad objective inputs fail before execution with a message naming the input. */
class ObjectiveBatchTest {

    private static final int B = 2;
    private static final int T = 3;

    private static INDArray ints() {
        return Nd4j.zeros(DataType.INT32, B, T);
    }

    private static INDArray floats(long... shape) {
        return Nd4j.zeros(DataType.FLOAT, shape);
    }

    private static ObjectiveBatch batch(INDArray roles, INDArray advantages, INDArray oldLogp, INDArray refLogp) {
        return new ObjectiveBatch(ints(), roles, advantages, oldLogp, refLogp);
    }

    @Test
    void shapeMismatchesNameTheInput() {
        assertMessage(() -> batch(Nd4j.zeros(DataType.INT32, B, T + 1), floats(B), floats(B, T), null), "roles", "[2, 3]");
        assertMessage(() -> batch(ints(), floats(B + 1), floats(B, T), null), "advantages", "[2]");
        assertMessage(() -> batch(ints(), floats(B), floats(B, 1), null), "old_logp");
        assertMessage(() -> batch(ints(), floats(B), floats(B, T), floats(T, B)), "ref_logp");
        ObjectiveBatch ok = batch(ints(), floats(B), floats(B, T), null);
        assertMessage(() -> ok.requireMatches(new long[] {B, T + 2, 7}), "targets", "logits");
        assertMessage(() -> ok.requireMatches(new long[] {B, T}), "logits", "[B,T,V]");
    }

    @Test
    void rolesOutsideZeroToThreeAreRejected() {
        assertMessage(() -> batch(ints().addi(4), floats(B), floats(B, T), null), "roles", "0..3", "4");
        assertMessage(() -> batch(ints().subi(1), floats(B), floats(B, T), null), "roles", "0..3", "-1");
    }

    @Test
    void nonFiniteAdvantagesOrLogProbsAreRejected() {
        INDArray nanAdvantage = floats(B);
        nanAdvantage.putScalar(1, Float.NaN);
        assertMessage(() -> batch(ints(), nanAdvantage, floats(B, T), null), "advantages", "NaN");
        INDArray infLogp = floats(B, T);
        infLogp.putScalar(new int[] {0, 2}, Float.NEGATIVE_INFINITY);
        assertMessage(() -> batch(ints(), floats(B), infLogp, null), "old_logp", "infinite");
        assertMessage(() -> batch(ints(), floats(B), floats(B, T), infLogp), "ref_logp", "infinite");
    }

    @Test
    void targetsOutsideTheVocabularyAreRejected() {
        INDArray targets = ints();
        targets.putScalar(new int[] {1, 1}, 9);
        ObjectiveBatch b = new ObjectiveBatch(targets, ints(), floats(B), floats(B, T), null);
        assertMessage(() -> b.requireMatches(new long[] {B, T, 5}), "targets", "[0, 5)", "9");
    }

    @Test
    void placeholdersCheckTheVocabularyTheObjectiveWasBuiltFor() {
        SameDiff sd = SameDiff.create();
        EchoObjective echo = EchoObjective.attach(sd, sd.var("logits", floats(B, T, 5)), EchoConfig.DEFAULTS);
        ObjectiveBatch b = batch(ints(), floats(B), floats(B, T), null);
        assertMessage(() -> echo.placeholders(b, new long[] {B, T, 6}), "vocabulary", "6", "5");
    }

    private static void assertMessage(Runnable action, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }
}
