package dev.echo4j.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finds and reads the reference data vendored in this module's test resources ({@code reference/}), or a folder
 * named by a system property: the repository checks itself with nothing beside it.
 */
final class ReferenceCases {

    static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceCases() {
    }

    /** The folder in {@code property} if set, else the vendored {@code reference/<relative>} on the test classpath. */
    static Path folder(String property, String relative) {
        String override = System.getProperty(property);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        URL vendored = ReferenceCases.class.getResource("/reference/" + relative);
        if (vendored == null) {
            throw new IllegalStateException("reference/" + relative + " is missing from the test resources");
        }
        try {
            return Path.of(vendored.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON files of a folder of cases; an empty or missing folder fails, so that no check passes vacuously. */
    static List<Path> jsonFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference folder not found: " + dir.toAbsolutePath());
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> cases = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            if (cases.isEmpty()) {
                throw new IllegalStateException("no reference cases (*.json) in " + dir.toAbsolutePath());
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A nested JSON array of numbers as an INDArray of the given type. */
    static INDArray array(JsonNode node, DataType type) {
        List<Integer> shape = new ArrayList<>();
        for (JsonNode n = node; n.isArray(); n = n.get(0)) {
            shape.add(n.size());
        }
        List<Double> values = new ArrayList<>();
        flatten(node, values);
        double[] flat = values.stream().mapToDouble(Double::doubleValue).toArray();
        long[] dims = shape.stream().mapToLong(Integer::longValue).toArray();
        return Nd4j.create(flat, dims, DataType.DOUBLE).castTo(type);
    }

    private static void flatten(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node.asDouble());
        }
    }
}
