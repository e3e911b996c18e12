package dev.echo4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Import of Hugging Face folders written here: dtypes, shards, and the errors for broken checkpoints. */
class HfCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelConfig CONFIG = new ModelConfig(40, 16, 24, 2, 4, 2, 4, 1e-6, 10000, true, 64, "float32");

    @TempDir
    Path dir;

    @Test
    void f32Bf16AndF16CheckpointsImportToTheSameLogitsWithinTheirPrecision() throws IOException {
        Qwen3Model source = Qwen3Model.create(CONFIG, 4);
        source.weights().forEach((name, w) -> { if (w.rank() == 2) w.muli(10); });
        int[][] ids = {{1, 2, 3, 39, 20}};
        int[][] mask = {{1, 1, 1, 1, 1}};
        INDArray expected = source.forward(ids, mask);
        for (String dtype : new String[] {"F32", "BF16", "F16"}) {
            Path folder = dir.resolve(dtype);
            write(folder, source.weights(), dtype, false);
            INDArray actual = HfCheckpoint.load(folder).forward(ids, mask);
            double tolerance = dtype.equals("F32") ? 1e-6 : dtype.equals("BF16") ? 0.05 : 5e-3;
            double diff = actual.sub(expected).amaxNumber().doubleValue();
            assertTrue(diff <= tolerance, dtype + ": logits differ by " + diff);
        }
    }

    @Test
    void shardedCheckpointImportsExactly() throws IOException {
        Qwen3Model source = Qwen3Model.create(CONFIG, 5);
        write(dir, source.weights(), "F32", true);
        int[][] ids = {{7, 8, 9}};
        int[][] mask = {{1, 1, 1}};
        assertEquals(source.forward(ids, mask), HfCheckpoint.load(dir).forward(ids, mask));
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Map<String, INDArray> weights = new LinkedHashMap<>(Qwen3Model.create(CONFIG, 6).weights());
        weights.remove("model.layers.1.mlp.up_proj.weight");
        write(dir, weights, "F32", false);
        assertMessage(() -> HfCheckpoint.load(dir), "model.layers.1.mlp.up_proj.weight", "missing");
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        Map<String, INDArray> weights = new LinkedHashMap<>(Qwen3Model.create(CONFIG, 6).weights());
        weights.put("model.layers.0.self_attn.k_proj.weight", weights.get("model.layers.0.self_attn.q_proj.weight"));
        write(dir, weights, "F32", false);
        assertMessage(() -> HfCheckpoint.load(dir), "model.layers.0.self_attn.k_proj.weight", "[16, 16]", "[8, 16]");
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        write(dir, Qwen3Model.create(CONFIG, 6).weights(), "F32", false);
        Path file = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        String content = new String(bytes, StandardCharsets.ISO_8859_1).replaceFirst("\"F32\"", "\"I64\"");
        Files.write(file, content.getBytes(StandardCharsets.ISO_8859_1));
        assertMessage(() -> HfCheckpoint.load(dir), "unsupported dtype 'I64'");
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        write(dir, Qwen3Model.create(CONFIG, 6).weights(), "F32", false);
        Path file = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertMessage(() -> HfCheckpoint.load(dir), "truncated");
    }

    @Test
    void otherArchitecturesAreRefused() throws IOException {
        write(dir, Qwen3Model.create(CONFIG, 6).weights(), "F32", false);
        ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        config.put("model_type", "llama").putArray("architectures").add("LlamaForCausalLM");
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        assertMessage(() -> HfCheckpoint.load(dir), "unsupported architecture", "LlamaForCausalLM");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable load, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, load);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    /** Writes config.json and the weights as one safetensors file, or as two shards with an index. */
    static void write(Path folder, Map<String, INDArray> weights, String dtype, boolean sharded) throws IOException {
        Files.createDirectories(folder);
        ObjectNode config = JSON.valueToTree(CONFIG);
        config.put("model_type", "qwen3").putArray("architectures").add("Qwen3ForCausalLM");
        JSON.writeValue(folder.resolve("config.json").toFile(), config);
        if (!sharded) {
            writeFile(folder.resolve("model.safetensors"), weights, dtype);
            return;
        }
        Map<String, INDArray> first = new LinkedHashMap<>();
        Map<String, INDArray> second = new LinkedHashMap<>();
        ObjectNode map = JSON.createObjectNode();
        int i = 0;
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            boolean one = i++ % 2 == 0;
            (one ? first : second).put(e.getKey(), e.getValue());
            map.put(e.getKey(), one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        writeFile(folder.resolve("model-00001-of-00002.safetensors"), first, dtype);
        writeFile(folder.resolve("model-00002-of-00002.safetensors"), second, dtype);
        ObjectNode index = JSON.createObjectNode();
        index.set("weight_map", map);
        JSON.writeValue(folder.resolve("model.safetensors.index.json").toFile(), index);
    }

    private static void writeFile(Path file, Map<String, INDArray> weights, String dtype) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            float[] values = e.getValue().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup().data().asFloat();
            int size = dtype.equals("F32") ? 4 : 2;
            ByteBuffer buffer = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                switch (dtype) {
                    case "F32" -> buffer.putFloat(v);
                    case "BF16" -> buffer.putShort((short) (Float.floatToIntBits(v) >>> 16));
                    default -> buffer.putShort(floatToHalf(v));
                }
            }
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", dtype);
            var shape = entry.putArray("shape");
            for (long s : e.getValue().shape()) {
                shape.add(s);
            }
            entry.putArray("data_offsets").add(data.size()).add(data.size() + buffer.capacity());
            data.write(buffer.array());
        }
        byte[] json = JSON.writeValueAsBytes(header);
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(length.array());
        out.write(json);
        out.write(data.toByteArray());
        Files.write(file, out.toByteArray());
    }

    /** Round-to-nearest half precision for normal values (the weights here are small and nonzero). */
    private static short floatToHalf(float v) {
        int bits = Float.floatToIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 112;
        int mantissa = bits & 0x7fffff;
        if (exponent <= 0) {
            return (short) sign;
        }
        int half = sign | (exponent << 10) | (mantissa >>> 13);
        return (short) (half + ((mantissa >>> 12) & 1));
    }

    @Test
    void halfPrecisionDecodingCoversSubnormalsAndInfinity() {
        assertEquals(1.0f, SafetensorsImporter.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, SafetensorsImporter.halfToFloat((short) 0xc000));
        assertEquals(0x1p-24f, SafetensorsImporter.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, SafetensorsImporter.halfToFloat((short) 0x7c00));
    }
}
