package dev.echo4j.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.model.Checkpoint;
import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyOptimizerTest {

    /** A vocabulary above the one-hot limit: the training graph gathers embedding rows. */
    private static final ModelConfig LARGE_VOCABULARY = new ModelConfig(5000, 8, 12, 1, 2, 1, 4, 1e-6, 10000, false, 64, null);

    @Test
    void refusesToTrainAGatheredEmbeddingThroughAutodiff(@TempDir Path dir) {
        Checkpoint.save(dir.resolve("saved"), Qwen3Model.create(LARGE_VOCABULARY, 1), new ByteTokenizer());
        Qwen3Model resumed = Checkpoint.resume(dir.resolve("saved")).model();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new PolicyOptimizer(resumed, EchoConfig.DEFAULTS, OptimizerConfig.DEFAULTS));
        assertTrue(error.getMessage().contains("Checkpoint.load"), error.getMessage());
        Qwen3Model rebuilt = Checkpoint.load(dir.resolve("saved")).model();
        assertDoesNotThrow(() -> new PolicyOptimizer(rebuilt, EchoConfig.DEFAULTS, OptimizerConfig.DEFAULTS));
    }
}
