package dev.echo4j.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GroupAdvantagesTest {

    @Test
    void equalRewardsAndSingletonGroupsGiveZero() {
        assertArrayEquals(new double[] {0, 0, 0}, GroupAdvantages.of(new double[] {0.1, 0.1, 0.1}, GroupAdvantages.Scale.GROUP));
        assertArrayEquals(new double[] {0}, GroupAdvantages.of(new double[] {1}, GroupAdvantages.Scale.NONE));
    }

    @Test
    void flatLayoutIsGroupedConsecutively() {
        double[] a = GroupAdvantages.ofFlat(new double[] {1, 0, 0, 0}, 2, GroupAdvantages.Scale.NONE);
        assertArrayEquals(new double[] {0.5, -0.5, 0, 0}, a, 1e-12);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> GroupAdvantages.ofFlat(new double[] {1, 0, 0}, 2, GroupAdvantages.Scale.GROUP));
        assertThrows(IllegalArgumentException.class, () -> GroupAdvantages.of(new double[] {1, Double.NaN}, GroupAdvantages.Scale.GROUP));
    }
}
