package dev.echo4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A Hugging Face {@code tokenizer.json} (for example Qwen3's byte-level BPE) through DJL's bindings to the
 * Rust {@code tokenizers} library; the native library ships inside the DJL jar, so it works offline.
 *
 * <p>Text is encoded as text: the file's added tokens ({@code <|im_start|>}, {@code <|im_end|>}, {@code <think>},
 * ...) never come out of {@link #encode}, even where the text spells them (a terminal printing a file that holds
 * {@code <|im_end|>}); such text is ordinary byte-level BPE, as {@code split_special_tokens=True} gives in
 * transformers. Only {@link ChatTemplate} puts special ids into a sequence, at the template's own positions, so
 * that a tool's output can never fake a turn boundary. To that end the Rust tokenizer is built from the file without
 * its {@code added_tokens}; {@link #decode} writes an added token's text itself.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // DJL calls home when a tokenizer loads: it asks the EC2 metadata service and, on EC2, sends telemetry.
        // echo4j works offline and sends nothing; a user who wants DJL's telemetry sets OPT_OUT_TRACKING=false.
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    private final Path file;
    /** The file's tokenizer less its added tokens: it encodes every text as BPE text. */
    private final HuggingFaceTokenizer textTokenizer;
    private final Map<String, Integer> specials;
    /** Every added token's text by id, special or not. */
    private final Map<Integer, String> added;
    /** The smallest added id: decoding looks no id below it up (Qwen3's added tokens follow its BPE vocabulary). */
    private final int firstAdded;
    private final int vocabSize;

    private HfTokenizer(Path file, HuggingFaceTokenizer textTokenizer, Map<String, Integer> specials, Map<Integer, String> added, int vocabSize) {
        this.file = file;
        this.textTokenizer = textTokenizer;
        this.specials = specials;
        this.added = added;
        this.firstAdded = added.keySet().stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
        this.vocabSize = vocabSize;
    }

    /** Loads a {@code tokenizer.json}, or the one inside a checkpoint folder. */
    public static HfTokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no tokenizer.json at " + file);
        }
        try {
            Map<String, Integer> specials = new LinkedHashMap<>();
            Map<Integer, String> added = new HashMap<>();
            ByteArrayOutputStream withoutAdded = new ByteArrayOutputStream();
            int maxId = scan(file, specials, added, withoutAdded);
            if (maxId < 0) {
                throw new IllegalArgumentException(file + " has no model.vocab and no added_tokens");
            }
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(withoutAdded.toByteArray()),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new HfTokenizer(file, tokenizer, Map.copyOf(specials), Map.copyOf(added), maxId + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file, e);
        }
    }

    /**
     * Qwen3's own tokenizer (byte-level BPE, 151,643 tokens plus 26 added ones), shipped in this jar so that
     * Qwen3-shaped models and their tests need no download; provenance and licence are beside it, in
     * {@code dev/echo4j/tokenizer/qwen3/}. The file is unpacked to a temporary file deleted when the JVM exits.
     */
    public static HfTokenizer qwen3() {
        try (InputStream packed = HfTokenizer.class.getResourceAsStream("qwen3/tokenizer.json.gz")) {
            if (packed == null) {
                throw new IllegalStateException("qwen3/tokenizer.json.gz is missing from the classpath");
            }
            Path file = Files.createTempFile("echo4j-qwen3-", "-tokenizer.json");
            file.toFile().deleteOnExit();
            try (InputStream json = new GZIPInputStream(packed)) {
                Files.copy(json, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack Qwen3's tokenizer", e);
        }
    }

    /**
     * One streamed pass over the file: the largest id in {@code model.vocab} and {@code added_tokens}, the added
     * tokens into {@code added} (the special ones also into {@code specials}), and the file less its added tokens
     * into {@code withoutAdded}, with every other field as it was.
     */
    private static int scan(Path file, Map<String, Integer> specials, Map<Integer, String> added, OutputStream withoutAdded) throws IOException {
        int maxId = -1;
        try (JsonParser p = JSON.getFactory().createParser(file.toFile());
             JsonGenerator out = JSON.getFactory().createGenerator(withoutAdded)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(file + " is not a JSON object");
            }
            out.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                out.writeFieldName(field);
                p.nextToken();
                if (field.equals("added_tokens")) {
                    for (JsonNode token : (JsonNode) JSON.readTree(p)) {
                        int id = token.path("id").asInt();
                        maxId = Math.max(maxId, id);
                        added.put(id, token.path("content").asText());
                        if (token.path("special").asBoolean(false)) {
                            specials.put(token.path("content").asText(), id);
                        }
                    }
                    out.writeStartArray();
                    out.writeEndArray();
                } else if (field.equals("model") && p.currentToken() == JsonToken.START_OBJECT) {
                    out.writeStartObject();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        out.writeFieldName(key);
                        if (p.nextToken() == JsonToken.START_OBJECT && key.equals("vocab")) {
                            out.writeStartObject();
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                out.writeFieldName(p.currentName());
                                p.nextToken();
                                maxId = Math.max(maxId, p.getValueAsInt());
                                out.writeNumber(p.getValueAsInt());
                            }
                            out.writeEndObject();
                        } else {
                            out.copyCurrentStructure(p);
                        }
                    }
                    out.writeEndObject();
                } else {
                    out.copyCurrentStructure(p);
                }
            }
            out.writeEndObject();
        }
        return maxId;
    }

    /** The tokenizer.json this was loaded from (copied into checkpoints). */
    public Path file() {
        return file;
    }

    /** Byte-level BPE of the text as it is: an added token's name inside it is text, not its id. */
    @Override
    public int[] encode(String text) {
        long[] ids = textTokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** The runs of BPE ids decoded by the tokenizer, each added id written as its token's text. */
    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        int from = 0;
        for (int i = 0; i <= ids.length; i++) {
            String name = i < ids.length && ids[i] >= firstAdded ? added.get(ids[i]) : null;
            if (i == ids.length || name != null) {
                if (i > from) {
                    text.append(textTokenizer.decode(Arrays.stream(ids, from, i).asLongStream().toArray(), false));
                }
                if (name != null) {
                    text.append(name);
                }
                from = i + 1;
            }
        }
        return text.toString();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    /** {@code <|endoftext|>} when the tokenizer has it (Qwen3 pads with it), else id 0. */
    @Override
    public int padId() {
        return specials.getOrDefault(END_OF_TEXT, 0);
    }

    @Override
    public void close() {
        textTokenizer.close();
    }
}
