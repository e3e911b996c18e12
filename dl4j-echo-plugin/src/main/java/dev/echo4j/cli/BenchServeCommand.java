package dev.echo4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.serve.ChatServer;
import dev.echo4j.serve.EngineSettings;
import dev.echo4j.serve.InferenceEngine;
import dev.echo4j.serve.ServerSettings;
import dev.echo4j.tokenizer.ByteTokenizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Throughput and latency of {@code serve} under concurrent clients: real HTTP requests over loopback to
 * servers in this JVM, each client sending its next request as soon as the last one is answered. Each
 * client count runs against a batching server and a one-request-at-a-time server in turn, so the ratio
 * shows what batching buys on this machine.
 */
@Command(name = "serve", description = {"HTTP chat completions: requests/s and p50/p99 latency at several client counts.",
        "Example: ./echo4j bench serve --clients 1,8,32 --requests 32 --max-tokens 16"})
final class BenchServeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint to serve (default: a fresh tiny model; speed does not depend on training).")
    Path checkpoint;

    @Option(names = "--clients", split = ",", defaultValue = "1,8,32", description = "Concurrent client counts (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--requests", defaultValue = "32", description = "Requests per client count and server, at least one per client and round (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--rounds", defaultValue = "2", description = "Alternating rounds per client count (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--max-tokens", defaultValue = "16", description = "max_tokens of each request (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--max-batch", defaultValue = "32", description = "The engine's batch limit (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Override
    public Integer call() throws Exception {
        try (InferenceEngine batched = engine(maxBatch); InferenceEngine unbatched = engine(1);
             ChatServer batchedServer = new ChatServer(batched, ServerSettings.local(0, "bench")).start();
             ChatServer unbatchedServer = new ChatServer(unbatched, ServerSettings.local(0, "bench")).start()) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();
            System.err.println("warming up...");
            run(http, batchedServer, 4, 8);
            run(http, unbatchedServer, 4, 8);
            System.out.printf("bench serve: %s, max_tokens %d, temperature 0.8; batch limit %d vs 1 in %d alternating rounds%n",
                    checkpoint != null ? checkpoint : "tiny model (random weights)", maxTokens, maxBatch, rounds);
            System.out.printf("%8s %6s %9s %10s %10s %10s %10s %11s%n", "clients", "batch", "requests", "req/s", "tokens/s", "p50 ms", "p99 ms", "mean batch");
            for (int c : clients) {
                Side on = new Side(batchedServer, batched, maxBatch);
                Side off = new Side(unbatchedServer, unbatched, 1);
                int perRound = Math.max(requests / rounds, c);
                for (int round = 0; round < rounds; round++) {
                    for (Side side : round % 2 == 0 ? List.of(on, off) : List.of(off, on)) {   // neither side always goes first
                        side.add(run(http, side.server, c, perRound));
                    }
                }
                on.print(c);
                off.print(c);
                System.out.printf("%8d %6s speed-up from batching: %.2fx requests/s%n", c, "", on.total.requestsPerSecond() / off.total.requestsPerSecond());
            }
        }
        return 0;
    }

    /** One server's rounds at one client count, and the batches its engine formed meanwhile. */
    private static final class Side {
        final ChatServer server;
        final InferenceEngine engine;
        final int batchLimit;
        final long batchesBefore;
        final long requestsBefore;
        Result total = new Result(new double[0], 0, 0);

        Side(ChatServer server, InferenceEngine engine, int batchLimit) {
            this.server = server;
            this.engine = engine;
            this.batchLimit = batchLimit;
            this.batchesBefore = engine.batches();
            this.requestsBefore = engine.batchedRequests();
        }

        void add(Result r) {
            double[] all = Arrays.copyOf(total.latenciesMs, total.latenciesMs.length + r.latenciesMs.length);
            System.arraycopy(r.latenciesMs, 0, all, total.latenciesMs.length, r.latenciesMs.length);
            total = new Result(all, total.tokens + r.tokens, total.seconds + r.seconds);
        }

        void print(int clients) {
            double meanBatch = (double) (engine.batchedRequests() - requestsBefore) / Math.max(1, engine.batches() - batchesBefore);
            System.out.printf("%8d %6d %9d %10.2f %10.1f %10.1f %10.1f %11.2f%n", clients, batchLimit, total.latenciesMs.length,
                    total.requestsPerSecond(), total.tokens / total.seconds, percentile(total.latenciesMs, 50), percentile(total.latenciesMs, 99), meanBatch);
        }
    }

    private InferenceEngine engine(int batchLimit) {
        EngineSettings settings = new EngineSettings(batchLimit, 1024);
        return checkpoint != null ? InferenceEngine.load(checkpoint, settings)
                : new InferenceEngine(Qwen3Model.create(ModelConfig.zoo("tiny"), 1), new ByteTokenizer(), settings);
    }

    private record Result(double[] latenciesMs, long tokens, double seconds) {
        double requestsPerSecond() {
            return latenciesMs.length / seconds;
        }
    }

    /** {@code total} requests from {@code clients} closed-loop clients. */
    private Result run(HttpClient http, ChatServer server, int clients, int total) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions");
        AtomicInteger next = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        double[] latencies = new double[total];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        ObjectNode body = JSON.createObjectNode().put("max_tokens", maxTokens).put("temperature", 0.8).put("seed", i);
                        body.putArray("messages").addObject().put("role", "user").put("content", "request " + i + ": list the files in /app");
                        long s = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        latencies[i] = (System.nanoTime() - s) / 1e6;
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("request " + i + " got " + r.statusCode() + ": " + r.body());
                        }
                        tokens.addAndGet(JSON.readTree(r.body()).get("usage").get("completion_tokens").asLong());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(latencies, tokens.get(), (System.nanoTime() - t0) / 1e9);
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
