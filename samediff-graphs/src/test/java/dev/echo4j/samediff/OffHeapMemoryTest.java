package dev.echo4j.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class OffHeapMemoryTest {

    @Test
    void collectsWhenTheResidentSetGrewByTheBudgetSinceTheLastCollection() {
        long[] resident = {1000};
        List<Long> collectedAt = new ArrayList<>();
        OffHeapMemory memory = new OffHeapMemory(250, () -> resident[0], () -> {
            collectedAt.add(resident[0]);
            resident[0] -= 100;                     // the allocator keeps most freed pages
        });
        for (int step = 0; step < 10; step++) {
            memory.step();
            resident[0] += 100;                     // each step leaves 100 bytes of garbage
        }
        // baseline 1000 after the first step; 1300 > 1000 + 250 collects (baseline 1200), then at 1500 and 1700
        assertEquals(List.of(1300L, 1500L, 1700L), collectedAt);
        assertEquals(3, memory.collections());
    }

    @Test
    void aBudgetSmallerThanOneStepsGarbageCollectsAfterEveryStep() {
        long[] resident = {0};
        OffHeapMemory memory = new OffHeapMemory(1, () -> resident[0], () -> { });
        for (int step = 0; step < 6; step++) {
            resident[0] += 10;
            memory.step();
        }
        assertEquals(5, memory.collections());
    }

    @Test
    void keepsAnAllocatingLoopFromGrowingWithoutBound() {
        OffHeapMemory memory = new OffHeapMemory(64L << 20);
        for (int step = 0; step < 200; step++) {
            Nd4j.create(DataType.FLOAT, 4L << 20).addi(1);   // 16 MiB of garbage per step
            memory.step();
        }
        assertTrue(memory.collections() > 0, "3.2 GB of garbage against a 64 MiB budget never collected");
    }

    @Test
    void rejectsANonPositiveBudget() {
        assertThrows(IllegalArgumentException.class, () -> new OffHeapMemory(0));
    }
}
