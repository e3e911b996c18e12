package dev.echo4j.transcript;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Transcripts as JSON Lines: one transcript per line, appendable while episodes finish. */
public final class TranscriptJsonl {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private TranscriptJsonl() {
    }

    /** One transcript as one line of JSON (no newline inside). */
    public static String toLine(Transcript t) {
        try {
            return JSON.writeValueAsString(t);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise transcript of task " + t.task(), e);
        }
    }

    /** The transcript of one line written by {@link #toLine}. */
    public static Transcript fromLine(String line) {
        try {
            return JSON.readValue(line, Transcript.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a transcript line: " + e.getOriginalMessage(), e);
        }
    }

    /** Appends transcripts to a JSONL file (created when missing). */
    public static synchronized void append(Path file, List<Transcript> transcripts) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                for (Transcript t : transcripts) {
                    w.write(toLine(t));
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write transcripts to " + file, e);
        }
    }

    /**
     * Keeps the first {@code count} transcripts of a JSONL file and drops the rest (a torn last line included),
     * replacing the file in one rename: a resumed run plays again the steps after its checkpoint, whose
     * transcripts must not appear twice.
     */
    public static synchronized void keepFirst(Path file, long count) {
        if (!Files.exists(file)) {
            return;
        }
        Path staged = file.resolveSibling(file.getFileName() + ".keep");
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
            long kept = 0;
            for (String line; kept < count && (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    w.write(line);
                    w.write('\n');
                    kept++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite transcripts in " + file, e);
        }
        try {
            Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file, e);
        }
    }

    /** Reads every transcript of a JSONL file; a bad line is reported with its number. */
    public static List<Transcript> read(Path file) {
        List<Transcript> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(fromLine(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read transcripts from " + file, e);
        }
        return out;
    }
}
