package dev.echo4j.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shape of a Qwen3-architecture model, with the field names of a Hugging Face Qwen3 {@code config.json}
 * so that an imported checkpoint's config and a zoo config read the same way. Unknown fields (for example
 * {@code architectures}) are ignored here; {@link HfCheckpoint} checks the architecture itself.
 *
 * <p>Zoo configs live on the classpath as {@code zoo/model-<name>.yaml} (module {@code zoo-configs}):
 * {@code tiny}, {@code small}, {@code qwen3-0.6b}, {@code qwen3-1.7b}, {@code qwen3-8b}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("num_hidden_layers") int numHiddenLayers,
        @JsonProperty("num_attention_heads") int numAttentionHeads,
        @JsonProperty("num_key_value_heads") int numKeyValueHeads,
        @JsonProperty("head_dim") int headDim,
        @JsonProperty("rms_norm_eps") double rmsNormEps,
        @JsonProperty("rope_theta") double ropeTheta,
        @JsonProperty("tie_word_embeddings") boolean tieWordEmbeddings,
        @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
        @JsonProperty("torch_dtype") String torchDtype) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public ModelConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("num_key_value_heads", numKeyValueHeads);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (headDim == 0) {
            headDim = hiddenSize / numAttentionHeads; // Hugging Face's default when head_dim is absent
        }
        positive("head_dim", headDim);
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        }
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        }
        if (!(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rms_norm_eps must be > 0, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0)) {
            throw new IllegalArgumentException("rope_theta must be > 0, got " + ropeTheta);
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Number of trainable parameters. */
    public long parameterCount() {
        long d = hiddenSize;
        long attention = d * numAttentionHeads * headDim * 2L + d * numKeyValueHeads * headDim * 2L + 2L * headDim;
        long mlp = 3L * d * intermediateSize;
        long layer = attention + mlp + 2 * d;
        long embeddings = (long) vocabSize * d * (tieWordEmbeddings ? 1 : 2);
        return embeddings + numHiddenLayers * layer + d;
    }

    /** A zoo config by name, for example {@code tiny}: the classpath resource {@code zoo/model-<name>.yaml}. */
    public static ModelConfig zoo(String name) {
        String resource = "zoo/model-" + name + ".yaml";
        try (InputStream in = ModelConfig.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no zoo model config '" + name + "' (classpath resource " + resource
                        + "); known: tiny, small, qwen3-0.6b, qwen3-1.7b, qwen3-8b");
            }
            return read(YAML, in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** A zoo name, or a path to a {@code .json}, {@code .yaml} or {@code .yml} file. */
    public static ModelConfig load(String nameOrPath) {
        Path path = Path.of(nameOrPath);
        return Files.isRegularFile(path) ? load(path) : zoo(nameOrPath);
    }

    /** Reads a Hugging Face style {@code config.json} or a YAML file with the same fields. */
    public static ModelConfig load(Path file) {
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
        try (InputStream in = Files.newInputStream(file)) {
            return read(mapper, in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model config " + file, e);
        }
    }

    private static ModelConfig read(ObjectMapper mapper, InputStream in, String source) throws IOException {
        try {
            return mapper.readValue(in, ModelConfig.class);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException("invalid model config " + source + ": " + cause.getMessage(), e);
        }
    }

    /** Writes this config as JSON (Hugging Face field names). */
    public void save(Path file) {
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model config " + file, e);
        }
    }
}
