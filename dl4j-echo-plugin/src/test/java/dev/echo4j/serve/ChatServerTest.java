package dev.echo4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.echo4j.model.Checkpoint;
import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.sampling.SamplingResult;
import dev.echo4j.sampling.TokenListener;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.tokenizer.ChatMessage;
import dev.echo4j.tokenizer.ChatTemplate;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTP requests against a server on a free local port, serving a tiny model loaded from a checkpoint.
 * Answers are checked against a second copy of the model decoding the same prompt alone on the test thread.
 */
class ChatServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "echo4j-tiny";
    private static final ChatTemplate TEMPLATE = new ChatTemplate(new ByteTokenizer());

    @TempDir
    static Path tmp;
    private static InferenceEngine engine;
    private static ChatServer server;
    private static KvCacheDecoder reference;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Qwen3Model model = Qwen3Model.create(ModelConfig.zoo("tiny"), 5);
        model.weights().forEach((name, w) -> { if (w.rank() == 2) w.muli(4); });   // far from uniform: no argmax ties
        Checkpoint.save(tmp.resolve("ckpt"), model, new ByteTokenizer());
        engine = InferenceEngine.load(tmp.resolve("ckpt"), new EngineSettings(32, 64));
        server = new ChatServer(engine, ServerSettings.local(0, MODEL)).start();
        reference = new KvCacheDecoder(Checkpoint.load(tmp.resolve("ckpt")).model());
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static ObjectNode chat(String user, int maxTokens, double temperature, long seed) {
        ObjectNode body = JSON.createObjectNode().put("model", MODEL).put("max_tokens", maxTokens).put("temperature", temperature).put("seed", seed);
        body.putArray("messages").addObject().put("role", "user").put("content", user);
        return body;
    }

    /** What the model writes for this user message, decoded alone outside the server. */
    private static String expected(String user, int maxTokens, double temperature, long seed) {
        int[] prompt = TEMPLATE.render(List.of(ChatMessage.user(user)), true);
        SamplingConfig config = new SamplingConfig(temperature, 1, 0, seed, maxTokens, engine.stopTokenIds());
        int[] tokens = reference.generate(new int[][] {prompt}, config).tokens(0);
        if (tokens.length > 0 && config.isStop(tokens[tokens.length - 1])) {
            tokens = Arrays.copyOf(tokens, tokens.length - 1);
        }
        return TEMPLATE.tokenizer().decode(tokens);
    }

    @Test
    void chatCompletionRoundTrip() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", chat("list the files", 12, 0, 1).toString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode out = JSON.readTree(r.body());
        assertEquals("chat.completion", out.get("object").asText());
        assertEquals(MODEL, out.get("model").asText());
        assertTrue(out.get("id").asText().startsWith("chatcmpl-"));
        JsonNode choice = out.get("choices").get(0);
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertEquals(expected("list the files", 12, 0, 1), choice.get("message").get("content").asText());
        int promptTokens = TEMPLATE.render(List.of(ChatMessage.user("list the files")), true).length;
        JsonNode usage = out.get("usage");
        assertEquals(promptTokens, usage.get("prompt_tokens").asInt());
        int completion = usage.get("completion_tokens").asInt();
        assertTrue(completion >= 1 && completion <= 12);
        assertEquals(promptTokens + completion, usage.get("total_tokens").asInt());
        assertEquals(completion == 12 ? "length" : "stop", choice.get("finish_reason").asText());
    }

    @Test
    void streamingSendsChunksThatAddUpToTheCompletion() throws Exception {
        ObjectNode body = chat("count to three", 12, 0, 1).put("stream", true);
        HttpResponse<String> r = post("/v1/chat/completions", body.toString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = r.body().lines().filter(l -> !l.isEmpty()).toList();
        events.forEach(l -> assertTrue(l.startsWith("data: "), l));
        assertEquals("data: [DONE]", events.get(events.size() - 1));
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events.subList(0, events.size() - 1)) {
            chunks.add(JSON.readTree(e.substring("data: ".length())));
        }
        assertTrue(chunks.size() >= 3, "a role chunk, content, a finish chunk: " + events);
        chunks.forEach(c -> assertEquals("chat.completion.chunk", c.get("object").asText()));
        assertEquals(1, chunks.stream().map(c -> c.get("id").asText()).distinct().count(), "one id for the whole stream");
        assertEquals("assistant", chunks.get(0).get("choices").get(0).get("delta").get("role").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(0, chunks.size() - 1)) {
            assertTrue(c.get("choices").get(0).get("finish_reason").isNull());
            text.append(c.get("choices").get(0).get("delta").path("content").asText(""));
        }
        JsonNode last = chunks.get(chunks.size() - 1).get("choices").get(0);
        assertFalse(last.get("finish_reason").isNull());
        assertEquals(expected("count to three", 12, 0, 1), text.toString());
        HttpResponse<String> plain = post("/v1/chat/completions", chat("count to three", 12, 0, 1).toString());
        assertEquals(JSON.readTree(plain.body()).get("choices").get(0).get("message").get("content").asText(), text.toString());
    }

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertFalse(error.get("message").asText().isBlank());
        assertFalse(error.get("type").asText().isBlank());
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception {
        assertError(post("/v1/chat/completions", "{\"model\": \"echo4j-tiny\", \"messages\": ["), 400, "invalid_json");
        assertError(post("/v1/chat/completions", chat("hi", 4, 0, 1).put("model", "gpt-4").toString()), 404, "model_not_found");
        assertError(post("/v1/chat/completions", chat("x".repeat(3000), 4, 0, 1).toString()), 400, "context_length_exceeded");
        assertError(post("/v1/chat/completions", chat("hi", 2040, 0, 1).toString()), 400, "context_length_exceeded");
        assertError(post("/v1/chat/completions", chat("y".repeat(2 << 20), 4, 0, 1).toString()), 413, "request_too_large");
        assertError(post("/v1/chat/completions", chat("hi", 4, 3.5, 1).toString()), 400, "invalid_temperature");
        assertError(post("/v1/chat/completions", chat("hi", 0, 0, 1).toString()), 400, "invalid_max_tokens");
        assertError(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}"), 400, "invalid_messages");
        assertError(post("/v1/chat/completions", "{\"messages\": []}"), 400, "invalid_messages");
        assertError(post("/v1/chat/completions", chat("hi", 4, 0, 1).put("n", 2).toString()), 400, "invalid_n");
        assertError(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}"),
                400, "invalid_messages");
        assertError(post("/v1/predict-output", "{\"command\": \"\"}"), 400, "invalid_command");
        assertError(HTTP.send(HttpRequest.newBuilder(uri("/v1/nothing")).GET().build(), HttpResponse.BodyHandlers.ofString()), 404, "http_404");
    }

    @Test
    void textPartsAreReadAsOneMessage() throws Exception {
        String parts = "{\"model\": \"echo4j-tiny\", \"max_tokens\": 5, \"temperature\": 0, \"messages\": [{\"role\": \"user\", "
                + "\"content\": [{\"type\": \"text\", \"text\": \"list \"}, {\"type\": \"text\", \"text\": \"the files\"}]}]}";
        HttpResponse<String> r = post("/v1/chat/completions", parts);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(expected("list the files", 5, 0, 0), JSON.readTree(r.body()).get("choices").get(0).get("message").get("content").asText());
    }

    @Test
    void aClientThatDoesNotReadItsStreamDoesNotStallOthers() throws Exception {
        String body = chat("talk", 48, 1.0, 9).put("stream", true).toString();
        try (Socket silent = new Socket("127.0.0.1", server.port())) {
            silent.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            silent.getOutputStream().flush();
            HttpResponse<String> other = post("/v1/chat/completions", chat("hi", 3, 0, 1).toString());
            assertEquals(200, other.statusCode(), other.body());
            assertEquals(expected("hi", 3, 0, 1), JSON.readTree(other.body()).get("choices").get(0).get("message").get("content").asText());
        }
    }

    @Test
    void bindsToLoopbackOnly() throws Exception {
        InetAddress external = NetworkInterface.networkInterfaces().filter(i -> !isLoopback(i))
                .flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst().orElse(null);
        Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address to try");
        assertThrows(ConnectException.class, () -> new Socket(external, server.port()).close(),
                "the server must not answer on " + external + " unless --host says so");
    }

    private static boolean isLoopback(NetworkInterface i) {
        try {
            return i.isLoopback() || !i.isUp();
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Test
    void modelsAndHealth() throws Exception {
        HttpResponse<String> models = HTTP.send(HttpRequest.newBuilder(uri("/v1/models")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode());
        JsonNode list = JSON.readTree(models.body());
        assertEquals("list", list.get("object").asText());
        assertEquals(MODEL, list.get("data").get(0).get("id").asText());
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(uri("/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText());
    }

    @Test
    void thirtyTwoConcurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        long batchesBefore = engine.batches();
        long requestsBefore = engine.batchedRequests();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String user = "task " + i + ": " + "ab".repeat(i % 5);   // prompts of different lengths
            HttpRequest request = HttpRequest.newBuilder(uri("/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(chat(user, 3 + i % 4, 0.8, 100 + i).toString())).build();
            responses.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        // the reference: one batch with per-sequence settings, which samples each as it would be sampled alone
        int[][] prompts = new int[32][];
        List<SamplingConfig> configs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            prompts[i] = TEMPLATE.render(List.of(ChatMessage.user("task " + i + ": " + "ab".repeat(i % 5))), true);
            configs.add(new SamplingConfig(0.8, 1, 0, 100 + i, 3 + i % 4, engine.stopTokenIds()));
        }
        SamplingResult expected = reference.generate(prompts, configs, TokenListener.NONE);
        for (int i = 0; i < 32; i++) {
            HttpResponse<String> r = responses.get(i).get(120, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            int[] tokens = expected.tokens(i);
            if (expected.sequences().get(i).stopped()) {
                tokens = Arrays.copyOf(tokens, tokens.length - 1);
            }
            assertEquals(TEMPLATE.tokenizer().decode(tokens), JSON.readTree(r.body()).get("choices").get(0).get("message").get("content").asText(),
                    "request " + i);
        }
        assertEquals(32, engine.batchedRequests() - requestsBefore);
        assertTrue(engine.batches() - batchesBefore < 32, "concurrent requests were decoded in shared batches");
    }

    @Test
    void predictOutputContinuesTheObservationOfTheCommand() throws Exception {
        HttpResponse<String> r = post("/v1/predict-output", "{\"command\": \"ls -la\", \"max_tokens\": 16}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode out = JSON.readTree(r.body());
        assertTrue(out.get("predicted_output").asText().startsWith("Command 'ls -la' "), out.toString());
        assertTrue(out.get("usage").get("completion_tokens").asInt() <= 16);
    }

    @Test
    void aFullQueueAnswers503AndADisconnectedStreamDoesNotStallOthers() throws Exception {
        try (InferenceEngine small = InferenceEngine.load(tmp.resolve("ckpt"), new EngineSettings(1, 1));
             ChatServer busy = new ChatServer(small, ServerSettings.local(0, MODEL)).start()) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            int[] prompt = TEMPLATE.render(List.of(ChatMessage.user("hold")), true);
            CompletableFuture<Completion> held = small.submit(new GenerationRequest(prompt, SamplingConfig.greedy(8), List.of(), text -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(holding.await(60, TimeUnit.SECONDS), "the worker is busy with the first request");
            CompletableFuture<Completion> waiting = small.submit(GenerationRequest.of(prompt, SamplingConfig.greedy(4)));
            URI url = URI.create("http://127.0.0.1:" + busy.port() + "/v1/chat/completions");
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(chat("hi", 4, 0, 1).toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(refused, 503, "queue_full");
            assertThrows(EngineBusyException.class, () -> small.submit(GenerationRequest.of(prompt, SamplingConfig.greedy(4))));
            release.countDown();
            held.get(60, TimeUnit.SECONDS);
            waiting.get(60, TimeUnit.SECONDS);

            // a streaming client that reads one event and leaves: its request is cancelled, the next one is answered
            HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(url)
                    .POST(HttpRequest.BodyPublishers.ofString(chat("go on", 1500, 1.0, 3).put("stream", true).toString())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
            assertTrue(reader.readLine().startsWith("data: "));
            reader.close();
            HttpResponse<String> after = HTTP.send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(chat("hi", 4, 0, 1).toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode(), after.body());
        }
    }
}
