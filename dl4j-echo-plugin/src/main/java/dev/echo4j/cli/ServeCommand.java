package dev.echo4j.cli;

import dev.echo4j.serve.ChatServer;
import dev.echo4j.serve.EngineSettings;
import dev.echo4j.serve.InferenceEngine;
import dev.echo4j.serve.ServerSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The policy behind an OpenAI-compatible HTTP API, until interrupted. */
@Command(name = "serve",
        description = {"Serve a checkpoint over HTTP: POST /v1/chat/completions (OpenAI-compatible, with \"stream\": true as SSE),",
                "GET /v1/models, POST /v1/predict-output (the world model) and GET /health."},
        footer = {"", "Examples:", "  ./echo4j serve runs/echo/checkpoints/step-000030 --port 8080",
                "  curl -s localhost:8080/v1/chat/completions -d '{\"messages\": [{\"role\": \"user\", \"content\": \"list the files\"}]}'",
                "  curl -s localhost:8080/v1/predict-output -d '{\"command\": \"ls /\"}'"})
final class ServeCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A policy checkpoint or a training checkpoint folder.")
    Path checkpoint;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = ServerSettings.LOOPBACK,
            description = "Address to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 to accept other machines).")
    String host;

    @Option(names = "--model-name", defaultValue = "echo4j", description = "The model id clients use (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--max-batch", defaultValue = "32", description = "Requests decoded together (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--queue", defaultValue = "256", description = "Requests that may wait; more get 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--default-max-tokens", defaultValue = "256", description = "Tokens generated when a request sets no max_tokens (default: ${DEFAULT-VALUE}).")
    int defaultMaxTokens;

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings settings = new ServerSettings(host, port, modelName, maxBodyBytes, defaultMaxTokens);
        InferenceEngine engine = InferenceEngine.load(checkpoint, new EngineSettings(maxBatch, queue));
        ChatServer server = new ChatServer(engine, settings).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            engine.close();
            stopped.countDown();
        }, "echo4j-serve-shutdown"));
        System.err.printf("serving %s as '%s' on http://%s:%d (Ctrl-C stops)%n", checkpoint, modelName, host, server.port());
        stopped.await();
        return 0;
    }
}
