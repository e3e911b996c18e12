package dev.echo4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

    @TempDir
    Path dir;

    @Test
    void zooConfigsHaveTheAdvertisedSizes() {
        long tiny = ModelConfig.zoo("tiny").parameterCount();
        long small = ModelConfig.zoo("small").parameterCount();
        assertTrue(tiny > 0.8e6 && tiny < 1.2e6, "tiny has " + tiny);
        assertTrue(small > 10e6 && small < 20e6, "small has " + small);
        // Published sizes: 0.6B (0.44B without embeddings), 1.7B, 8.2B.
        assertEquals(0.60e9, ModelConfig.zoo("qwen3-0.6b").parameterCount(), 0.01e9);
        assertEquals(1.72e9, ModelConfig.zoo("qwen3-1.7b").parameterCount(), 0.01e9);
        assertEquals(8.19e9, ModelConfig.zoo("qwen3-8b").parameterCount(), 0.01e9);
        assertEquals(Qwen3Model.parameterShapes(ModelConfig.zoo("tiny")).values().stream()
                .mapToLong(s -> s.length == 1 ? s[0] : s[0] * s[1]).sum(), tiny);
    }

    @Test
    void jsonAndYamlFilesReadTheSameFields() throws IOException {
        ModelConfig tiny = ModelConfig.zoo("tiny");
        Path json = dir.resolve("config.json");
        tiny.save(json);
        assertEquals(tiny, ModelConfig.load(json));
        assertEquals(tiny, ModelConfig.load("tiny"));
        assertTrue(Files.readString(json).contains("\"num_key_value_heads\""));
    }

    @Test
    void badValuesAreNamed() throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, Files.readString(Path.of("../zoo-configs/model-tiny.yaml")).replace("num_key_value_heads: 2", "num_key_value_heads: 3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(yaml));
        assertTrue(e.getMessage().contains("num_key_value_heads (3)") && e.getMessage().contains(yaml.toString()), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ModelConfig.zoo("huge"));
        assertTrue(unknown.getMessage().contains("tiny"), unknown.getMessage());
    }
}
