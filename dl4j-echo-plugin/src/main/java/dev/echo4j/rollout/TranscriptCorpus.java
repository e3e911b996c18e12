package dev.echo4j.rollout;

import dev.echo4j.task.Task;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptJsonl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Scripted transcripts (expert solutions, exploration) played in parallel and cached as JSON Lines, so
 * that pretraining, SFT and the held-out world-model evaluation all read the same fixed data.
 */
public final class TranscriptCorpus {

    private TranscriptCorpus() {
    }

    /** Reference-solution transcripts of every task that has a solution. */
    public static List<Transcript> experts(Path cache, List<Task> tasks, ScriptedEpisodes episodes, int workers, IntConsumer progress) {
        List<Task> solvable = tasks.stream().filter(t -> t.solution().isPresent()).toList();
        return cached(cache, solvable.size(), workers, i -> episodes.expert(solvable.get(i)), progress);
    }

    /** {@code count} exploration transcripts over the tasks, 3 to 7 commands each, seeded by index. */
    public static List<Transcript> explorations(Path cache, List<Task> tasks, int count, long seed, ScriptedEpisodes episodes,
                                                int workers, IntConsumer progress) {
        return cached(cache, count, workers, i -> episodes.explore(tasks.get(i % tasks.size()), 3 + (int) ((seed + i) % 5), seed * 31 + i), progress);
    }

    private static List<Transcript> cached(Path cache, int count, int workers, java.util.function.IntFunction<Transcript> play, IntConsumer progress) {
        if (Files.isRegularFile(cache)) {
            List<Transcript> saved = TranscriptJsonl.read(cache);
            if (saved.size() == count) {
                progress.accept(count);
                return saved;
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Transcript>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> play.apply(index)));
            }
            List<Transcript> out = new ArrayList<>();
            for (Future<Transcript> f : futures) {
                out.add(f.get());
                progress.accept(out.size());
            }
            Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            TranscriptJsonl.append(tmp, out);
            Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while playing scripted episodes", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a scripted episode failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + cache, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
