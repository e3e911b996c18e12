package dev.echo4j.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** A reference test pointed at a folder without cases fails instead of passing with nothing checked. */
class EmptyReferenceFolderTest {

    @Test
    void objectiveConformanceFailsOnAnEmptyFolder(@TempDir Path empty) {
        assertThrows(IllegalStateException.class, () -> EchoObjectiveConformanceTest.objectiveCases(empty));
        assertThrows(IllegalStateException.class, () -> EchoObjectiveConformanceTest.advantageCases(empty));
    }

    @Test
    void qwen3ParityFailsOnAnEmptyFolder(@TempDir Path empty) {
        assertThrows(AssertionFailedError.class, () -> Qwen3ParityTest.checkpoints(empty));
    }
}
