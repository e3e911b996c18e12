package dev.echo4j.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One JSON object per training step, appended and flushed, so that a crash loses at most one line. */
public final class MetricsLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> ROW = new TypeReference<>() { };

    private final Path file;
    private final BufferedWriter out;

    /**
     * Opens {@code file} for appending after dropping rows past {@code keepThroughStep}: on resume, steps
     * logged after the last checkpoint are run again and must not appear twice.
     */
    public MetricsLog(Path file, long keepThroughStep) {
        this.file = file;
        try {
            List<Map<String, Object>> kept = read(file).stream()
                    .filter(r -> ((Number) r.getOrDefault("step", 0)).longValue() <= keepThroughStep).toList();
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            for (Map<String, Object> row : kept) {
                write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Map<String, Object> row) {
        try {
            out.write(JSON.writeValueAsString(row));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /** All rows of a metrics file (none if it does not exist). */
    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add(JSON.readValue(line, ROW));
            }
        }
        return rows;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
