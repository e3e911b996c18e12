package dev.echo4j.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.tokenizer.ChatMessage;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy over HTTP (Javalin on Jetty): OpenAI-compatible {@code POST /v1/chat/completions} (plain and
 * streamed as server-sent events), {@code GET /v1/models}, the world model's {@code POST /v1/predict-output}
 * and {@code GET /health}. Every refusal is a 4xx/5xx with {@code {"error": {"message", "type", "code"}}}.
 *
 * <p>Requests wait in the {@link InferenceEngine}'s bounded queue (503 when it is full) and are decoded in
 * batches. Streamed text goes from the decoding thread into a per-request queue that the request's own
 * Jetty thread writes out, so a slow client only slows itself; a client that disconnects cancels its
 * request, which ends its sequence at the next token.
 */
public final class ChatServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object END = new Object();
    private static final String JSON_TYPE = "application/json";

    private final InferenceEngine engine;
    private final WorldModel worldModel;
    private final ServerSettings settings;
    private final long created = System.currentTimeMillis() / 1000;
    private final Javalin app;

    public ChatServer(InferenceEngine engine, ServerSettings settings) {
        this.engine = engine;
        this.worldModel = new WorldModel(engine);
        this.settings = settings;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.startupWatcherEnabled = false;
        });
        app.get("/health", ctx -> json(ctx, 200, JSON.createObjectNode().put("status", "ok").put("model", settings.modelName())));
        app.get("/v1/models", this::models);
        app.post("/v1/chat/completions", this::chatCompletions);
        app.post("/v1/predict-output", this::predictOutput);
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, new ApiException(e.getStatus(),
                e.getStatus() == 404 ? "not_found_error" : "invalid_request_error", "http_" + e.getStatus(), e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, new ApiException(500, "server_error", "internal_error", "internal error: " + e.getMessage()));
        });
    }

    /** Binds and starts serving; returns this. */
    public ChatServer start() {
        app.start(settings.host(), settings.port());
        return this;
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void models(Context ctx) {
        ObjectNode out = JSON.createObjectNode().put("object", "list");
        out.putArray("data").addObject().put("id", settings.modelName()).put("object", "model").put("created", created).put("owned_by", "echo4j");
        json(ctx, 200, out);
    }

    private void chatCompletions(Context ctx) throws IOException {
        ChatRequest request = ChatRequest.parse(body(ctx));
        checkModel(request.model());
        int[] prompt = engine.template().render(request.messages(), true);
        int maxTokens = maxTokens(request.maxTokens(), prompt.length);
        long seed = request.seed() != null ? request.seed() : ThreadLocalRandom.current().nextLong();
        SamplingConfig sampling = new SamplingConfig(request.temperature(), request.topP(), 0, seed, maxTokens, engine.stopTokenIds());
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        if (request.stream()) {
            stream(ctx, id, prompt, sampling, request.stop());
            return;
        }
        CompletableFuture<Completion> future = submit(new GenerationRequest(prompt, sampling, request.stop(), text -> { }));
        ctx.future(() -> future.handle((completion, failure) -> {
            if (failure != null) {
                error(ctx, new ApiException(500, "server_error", "generation_failed", "generation failed: " + cause(failure).getMessage()));
            } else {
                ObjectNode out = head(id, "chat.completion");
                ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
                choice.putObject("message").put("role", "assistant").put("content", completion.text());
                choice.put("finish_reason", completion.finishReason().apiName());
                usage(out, completion);
                json(ctx, 200, out);
            }
            return null;
        }));
    }

    /** Server-sent events: a role chunk, content chunks as text becomes final, a finish chunk, [DONE]. */
    private void stream(Context ctx, String id, int[] prompt, SamplingConfig sampling, List<String> stop) throws IOException {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        CompletableFuture<Completion> future = submit(new GenerationRequest(prompt, sampling, stop, events::add));
        future.whenComplete((c, e) -> events.add(END));
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        try {
            ObjectNode first = chunk(id);
            ((ObjectNode) first.get("choices").get(0)).putObject("delta").put("role", "assistant").put("content", "");
            send(out, first);
            for (Object event = events.take(); event != END; event = events.take()) {
                ObjectNode chunk = chunk(id);
                ((ObjectNode) chunk.get("choices").get(0)).putObject("delta").put("content", (String) event);
                send(out, chunk);
            }
            Completion completion = future.join();
            ObjectNode last = chunk(id);
            ObjectNode choice = (ObjectNode) last.get("choices").get(0);
            choice.putObject("delta");
            choice.put("finish_reason", completion.finishReason().apiName());
            usage(last, completion);
            send(out, last);
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            future.cancel(false);   // the client went away: free its place in the batch
            LOG.debug("stream {} ended by the client: {}", id, e.getMessage());
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
        } catch (CompletionException e) {
            ObjectNode err = JSON.createObjectNode();
            err.putObject("error").put("message", "generation failed: " + cause(e).getMessage()).put("type", "server_error").put("code", "generation_failed");
            send(out, err);
        }
    }

    private void predictOutput(Context ctx) {
        JsonNode body = body(ctx);
        if (!body.isObject()) {
            throw ApiException.invalid("invalid_body", "the request body must be a JSON object, got " + body.getNodeType());
        }
        checkModel(body.hasNonNull("model") ? ChatRequest.text(body, "model") : null);
        if (!body.hasNonNull("command") || !body.get("command").isTextual() || body.get("command").asText().isBlank()) {
            throw ApiException.invalid("invalid_command", "'command' must be a non-empty string: the shell command whose output to predict");
        }
        String command = body.get("command").asText();
        List<ChatMessage> context = new ArrayList<>();
        if (body.has("context")) {
            ObjectNode asChat = JSON.createObjectNode();
            asChat.set("messages", body.get("context"));
            context.addAll(ChatRequest.parse(asChat).messages());
        }
        Integer requested = null;
        if (body.hasNonNull("max_tokens")) {
            JsonNode n = body.get("max_tokens");
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
                throw ApiException.invalid("invalid_max_tokens", "'max_tokens' must be a whole number >= 1, got " + n);
            }
            requested = n.asInt();
        }
        int[] prompt = worldModel.prompt(context, command);
        int maxTokens = maxTokens(requested, prompt.length);
        CompletableFuture<WorldModel.Prediction> future;
        try {
            future = worldModel.predict(context, command, maxTokens);
        } catch (EngineBusyException e) {
            throw new ApiException(503, "server_busy", "queue_full", e.getMessage());
        }
        ctx.future(() -> future.handle((p, failure) -> {
            if (failure != null) {
                error(ctx, new ApiException(500, "server_error", "generation_failed", "prediction failed: " + cause(failure).getMessage()));
            } else {
                ObjectNode out = JSON.createObjectNode().put("object", "predicted_output").put("model", settings.modelName())
                        .put("command", command).put("predicted_output", p.observation()).put("finish_reason", p.finishReason().apiName());
                out.putObject("usage").put("prompt_tokens", prompt.length).put("completion_tokens", p.tokens())
                        .put("total_tokens", prompt.length + p.tokens());
                json(ctx, 200, out);
            }
            return null;
        }));
    }

    private CompletableFuture<Completion> submit(GenerationRequest request) {
        try {
            return engine.submit(request);
        } catch (EngineBusyException e) {
            throw new ApiException(503, "server_busy", "queue_full", e.getMessage());
        }
    }

    private void checkModel(String model) {
        if (model != null && !model.equals(settings.modelName())) {
            throw new ApiException(404, "invalid_request_error", "model_not_found",
                    "the model '" + model + "' does not exist; this server serves '" + settings.modelName() + "' (see GET /v1/models)");
        }
    }

    /** The request's max_tokens, or the default cut to what the context leaves; 400 when it cannot fit. */
    private int maxTokens(Integer requested, int promptTokens) {
        int left = engine.contextLength() - promptTokens;
        int wanted = requested != null ? requested : Math.min(settings.defaultMaxTokens(), left);
        if (wanted < 1 || promptTokens + wanted > engine.contextLength()) {
            throw ApiException.invalid("context_length_exceeded",
                    new PromptTooLongException(promptTokens, Math.max(wanted, 1), engine.contextLength()).getMessage());
        }
        return wanted;
    }

    /** The body as JSON, read up to the size limit: 413 beyond it, 400 when it is not JSON. */
    private JsonNode body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > settings.maxBodyBytes()) {
            throw tooLarge(declared);
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(settings.maxBodyBytes() + 1);
        } catch (IOException e) {
            throw ApiException.invalid("unreadable_body", "could not read the request body: " + e.getMessage());
        }
        if (bytes.length > settings.maxBodyBytes()) {
            throw tooLarge(bytes.length);
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiException.invalid("invalid_json", "the request body is empty; send a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw ApiException.invalid("invalid_json", "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.invalid("unreadable_body", "could not read the request body: " + e.getMessage());
        }
    }

    private ApiException tooLarge(long bytes) {
        return new ApiException(413, "invalid_request_error", "request_too_large",
                "the request body has " + bytes + "+ bytes; this server takes at most " + settings.maxBodyBytes());
    }

    private ObjectNode head(String id, String object) {
        return JSON.createObjectNode().put("id", id).put("object", object).put("created", System.currentTimeMillis() / 1000)
                .put("model", settings.modelName());
    }

    private ObjectNode chunk(String id) {
        ObjectNode chunk = head(id, "chat.completion.chunk");
        chunk.putArray("choices").addObject().put("index", 0).putNull("finish_reason");
        return chunk;
    }

    private static void usage(ObjectNode out, Completion c) {
        out.putObject("usage").put("prompt_tokens", c.promptTokens()).put("completion_tokens", c.completionTokens())
                .put("total_tokens", c.promptTokens() + c.completionTokens());
    }

    private static void send(OutputStream out, JsonNode event) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void json(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType(JSON_TYPE).result(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Context ctx, ApiException e) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("error").put("message", e.getMessage()).put("type", e.type).put("code", e.code);
        json(ctx, e.status, out);
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
