package dev.echo4j.examples;

import dev.echo4j.model.Checkpoint;
import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.serve.Completion;
import dev.echo4j.serve.EngineSettings;
import dev.echo4j.serve.GenerationRequest;
import dev.echo4j.serve.InferenceEngine;
import dev.echo4j.serve.WorldModel;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.tokenizer.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Use a trained agent from your own Java code: load a checkpoint, generate from many threads at once (the
 * engine batches them), stream one answer as it is written, and ask the world model what a command prints.
 * Pass a checkpoint folder; without one, a fresh (untrained) tiny model stands in, so the text is noise.
 */
public class EmbedTheAgent {

    public static void main(String[] args) throws Exception {
        Path checkpoint = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("echo4j-example-").resolve("tiny");
        if (args.length == 0) {
            Checkpoint.save(checkpoint, Qwen3Model.create(ModelConfig.zoo("tiny"), 1), new ByteTokenizer());
        }
        try (InferenceEngine engine = InferenceEngine.load(checkpoint, EngineSettings.DEFAULTS)) {
            // 1. Concurrent requests: each gets a future; those waiting together are decoded as one batch.
            List<CompletableFuture<Completion>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int[] prompt = engine.template().render(List.of(ChatMessage.user("Task " + i + ": count the files in /app")), true);
                SamplingConfig sampling = new SamplingConfig(0.7, 0.95, 0, i, 32, engine.stopTokenIds());
                answers.add(engine.submit(GenerationRequest.of(prompt, sampling)));
            }
            for (CompletableFuture<Completion> a : answers) {
                Completion c = a.join();
                System.out.printf("%d tokens (%s): %s%n", c.completionTokens(), c.finishReason().apiName(), c.text().strip());
            }
            System.out.printf("%d requests in %d batches%n", engine.batchedRequests(), engine.batches());

            // 2. Streaming: onText gets the text as it becomes final (on the engine's thread: keep it quick).
            int[] prompt = engine.template().render(List.of(ChatMessage.user("List the files")), true);
            engine.submit(new GenerationRequest(prompt, SamplingConfig.greedy(24), List.of("\n\n"), System.out::print)).join();
            System.out.println();

            // 3. The world model: the terminal output the policy expects from a command.
            WorldModel world = new WorldModel(engine);
            System.out.println(world.predict(List.of(ChatMessage.user("Look around")), "ls /app", 48).join().observation());
        }
    }
}
