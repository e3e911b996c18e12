package dev.echo4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.echo4j.tokenizer.HfTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Hugging Face Qwen3 checkpoint folder ({@code config.json} + {@code model.safetensors}, single or
 * sharded) imported into a float32 {@link Qwen3Model}. Refuses other architectures and options this model
 * does not implement (biases, rope scaling, an activation other than SiLU) instead of computing something
 * else.
 */
public final class HfCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfCheckpoint() {
    }

    /** The checked model config of a checkpoint folder. */
    public static ModelConfig config(Path folder) {
        Path file = folder.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no config.json in " + folder + " (expected a Hugging Face Qwen3 checkpoint folder)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        String type = root.path("model_type").asText("");
        JsonNode architectures = root.path("architectures");
        boolean qwen3 = type.equals("qwen3") || architectures.toString().contains("\"Qwen3ForCausalLM\"");
        if (!qwen3) {
            throw new IllegalArgumentException(file + ": unsupported architecture (model_type '" + type + "', architectures "
                    + architectures + "); only Qwen3ForCausalLM (model_type qwen3) is supported");
        }
        unsupportedIf(root.path("attention_bias").asBoolean(false), file, "attention_bias: true");
        unsupportedIf(!root.path("rope_scaling").isMissingNode() && !root.path("rope_scaling").isNull(), file,
                "rope_scaling " + root.path("rope_scaling"));
        String act = root.path("hidden_act").asText("silu");
        unsupportedIf(!act.equals("silu"), file, "hidden_act '" + act + "' (only silu)");
        return ModelConfig.load(file);
    }

    private static void unsupportedIf(boolean condition, Path file, String what) {
        if (condition) {
            throw new IllegalArgumentException(file + ": unsupported option " + what);
        }
    }

    /** The checkpoint's {@code tokenizer.json}. */
    public static HfTokenizer tokenizer(Path folder) {
        return HfTokenizer.load(folder.resolve("tokenizer.json"));
    }

    /** Imports the checkpoint as a float32 model. */
    public static Qwen3Model load(Path folder) {
        return load(folder, DataType.FLOAT);
    }

    /** Imports the checkpoint with weights converted to {@code dtype}. */
    public static Qwen3Model load(Path folder, DataType dtype) {
        ModelConfig config = config(folder);
        SafetensorsImporter tensors = SafetensorsImporter.open(folder);
        Map<String, INDArray> weights = new LinkedHashMap<>();
        Qwen3Model.parameterShapes(config).forEach((name, shape) -> {
            long[] stored = tensors.shape(name);
            if (!Arrays.equals(stored, shape)) {
                throw new IllegalArgumentException(folder + ": tensor '" + name + "' has shape " + Arrays.toString(stored)
                        + " but config.json implies " + Arrays.toString(shape));
            }
            weights.put(name, tensors.read(name));
        });
        return Qwen3Model.fromWeights(config, weights, dtype);
    }
}
