package dev.echo4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.echo4j.model.HfCheckpoint;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.sampling.SamplingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Imported Qwen3 checkpoints against an independent float64 PyTorch forward pass: every folder under
 * the vendored {@code reference/qwen3/} (or {@code -Decho.qwen3.reference.dir=DIR}) must reproduce its logits
 * (1e-4 max abs for F32 checkpoints, 2e-3 for BF16) and its greedy continuation through the KV-cache decoder.
 */
class Qwen3ParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyReferenceCheckpoint() throws IOException {
        return checkpoints(ReferenceCases.folder("echo.qwen3.reference.dir", "qwen3"));
    }

    /** One test per checkpoint folder in {@code dir}; a folder without any fails. */
    static Stream<DynamicTest> checkpoints(Path dir) throws IOException {
        assertTrue(Files.isDirectory(dir), "reference folder " + dir + " is missing (set -Decho.qwen3.reference.dir)");
        List<Path> cases;
        try (Stream<Path> s = Files.list(dir)) {
            cases = s.filter(p -> Files.isRegularFile(p.resolve("expected.json"))).sorted().toList();
        }
        assertFalse(cases.isEmpty(), "no reference checkpoints in " + dir);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)));
    }

    private static void check(Path folder) throws IOException {
        JsonNode expected = JSON.readTree(folder.resolve("expected.json").toFile());
        int[][] ids = JSON.treeToValue(expected.get("input_ids"), int[][].class);
        float[][][] logits = JSON.treeToValue(expected.get("logits"), float[][][].class);
        int[][] greedy = JSON.treeToValue(expected.get("greedy_continuation"), int[][].class);
        String dtype = HfCheckpoint.config(folder).torchDtype();
        double tolerance = "bfloat16".equals(dtype) ? 2e-3 : 1e-4;

        Qwen3Model model = HfCheckpoint.load(folder);
        INDArray actual = model.forward(ids, ones(ids));
        double worst = 0;
        for (int b = 0; b < ids.length; b++) {
            for (int t = 0; t < ids[b].length; t++) {
                for (int v = 0; v < logits[b][t].length; v++) {
                    worst = Math.max(worst, Math.abs(actual.getDouble(b, t, v) - logits[b][t][v]));
                }
            }
        }
        assertTrue(worst <= tolerance, folder.getFileName() + ": logits differ by up to " + worst + " (tolerance " + tolerance + ")");

        SamplingResult result = new KvCacheDecoder(model).generate(ids, SamplingConfig.greedy(greedy[0].length));
        for (int b = 0; b < ids.length; b++) {
            assertArrayEquals(greedy[b], result.tokens(b), folder.getFileName() + ": greedy continuation of sequence " + b);
        }
        assertEquals(ids.length, result.size());
    }

    private static int[][] ones(int[][] ids) {
        int[][] mask = new int[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            mask[b] = new int[ids[b].length];
            java.util.Arrays.fill(mask[b], 1);
        }
        return mask;
    }
}
