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

    /** A fake process: a clock in nanoseconds, a resident set in bytes, and collections that take 10 ns. */
    private static final class Process {
        long now;
        long resident = 1000;
        final List<Long> collectedAt = new ArrayList<>();

        OffHeapMemory memory(long budget) {
            return new OffHeapMemory(budget, () -> resident, () -> now, () -> {
                collectedAt.add(now);
                now += 10;
                resident -= 50;                     // the allocator keeps most freed pages
            });
        }

        void step(OffHeapMemory memory, long nanos, long garbage) {
            now += nanos;
            resident += garbage;
            memory.step();
        }
    }

    @Test
    void collectsFirstThenOnceCollectionsWouldTakeAtMostOnePercentOfTheTime() {
        Process process = new Process();
        OffHeapMemory memory = process.memory(1_000_000);
        for (int i = 0; i < 10; i++) {
            process.step(memory, 300, 1);           // a collection (10 ns) is due every 1000 ns: every 4th step
        }
        assertEquals(List.of(300L, 1510L, 2720L), process.collectedAt);
    }

    @Test
    void collectsSoonerWhenTheResidentSetOutgrowsTheBudget() {
        Process process = new Process();
        OffHeapMemory memory = process.memory(250);
        for (int i = 0; i < 10; i++) {
            process.step(memory, 1, 100);           // time never forces a collection after the first
        }
        // the first step (no collection timed yet), then every third step: 300 bytes of growth since the last
        assertEquals(List.of(1L, 14L, 27L), process.collectedAt.subList(0, 3));
        assertTrue(process.resident < 1000 + 10 * 100, "collections kept the growth in check");
    }

    @Test
    void aStepMuchLongerThanACollectionCollectsEveryStep() {
        Process process = new Process();
        OffHeapMemory memory = process.memory(1_000_000);
        for (int i = 0; i < 6; i++) {
            process.step(memory, 5000, 1);
        }
        assertEquals(6, memory.collections());
    }

    @Test
    void keepsAnAllocatingLoopFromGrowingWithoutBound() {
        OffHeapMemory memory = new OffHeapMemory(64L << 20);
        for (int step = 0; step < 200; step++) {
            Nd4j.create(DataType.FLOAT, 4L << 20).addi(1);   // 16 MiB of garbage per step
            memory.step();
        }
        assertTrue(memory.collections() > 1, "3.2 GB of garbage against a 64 MiB budget collected only at the start");
    }

    @Test
    void rejectsANonPositiveBudget() {
        assertThrows(IllegalArgumentException.class, () -> new OffHeapMemory(0));
    }
}
