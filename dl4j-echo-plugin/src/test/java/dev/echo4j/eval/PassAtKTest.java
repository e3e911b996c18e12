package dev.echo4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PassAtKTest {

    @Test
    void matchesTheClosedForm() {
        assertEquals(0.25, PassAtK.estimate(8, 2, 1), 1e-12);
        assertEquals(1 - (6.0 * 5) / (8.0 * 7), PassAtK.estimate(8, 2, 2), 1e-12);
        assertEquals(1.0, PassAtK.estimate(4, 1, 4), 1e-12);
        assertEquals(0.0, PassAtK.estimate(4, 0, 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(2, 1, 3));
    }
}
