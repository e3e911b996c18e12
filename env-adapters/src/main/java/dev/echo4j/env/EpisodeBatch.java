package dev.echo4j.env;

import dev.echo4j.task.Task;
import dev.echo4j.tokenizer.ChatMessage;
import dev.echo4j.transcript.Transcript;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * A group of episodes stepped together, for a trainer that generates the turns of all running episodes in
 * one batch: reset them all, read the prompts of those still running, step each with its generated turn.
 * Sandbox work (start-up, commands, verification) runs in parallel on the caller's executor, whose size bounds
 * how many shells work at once.
 */
public final class EpisodeBatch implements AutoCloseable {

    private final List<TerminalEnvironment> episodes;
    private final ExecutorService executor;

    public EpisodeBatch(List<Task> tasks, SandboxConfig sandbox, EpisodeLimits limits, ExecutorService executor) {
        this.episodes = tasks.stream().map(t -> new TerminalEnvironment(t, sandbox, limits)).toList();
        this.executor = executor;
    }

    /** Starts every episode (fresh sandboxes, setup scripts run). */
    public void resetAll() {
        all(IntStream.range(0, episodes.size()).boxed().toList(), i -> episodes.get(i).reset());
    }

    /** Indices of the episodes that have not ended. */
    public List<Integer> running() {
        return IntStream.range(0, episodes.size()).filter(i -> !episodes.get(i).isDone()).boxed().toList();
    }

    /** The conversation of episode {@code i} so far: what the policy is prompted with for its next turn. */
    public List<ChatMessage> prompt(int i) {
        return episodes.get(i).messages();
    }

    /** Steps the given episodes, each with its agent turn, in parallel; results in the same order as the map. */
    public Map<Integer, StepResult> step(Map<Integer, String> turns) {
        List<Integer> ids = new ArrayList<>(turns.keySet());
        List<StepResult> results = all(ids, i -> episodes.get(i).step(turns.get(i)));
        Map<Integer, StepResult> out = new LinkedHashMap<>();
        for (int k = 0; k < ids.size(); k++) {
            out.put(ids.get(k), results.get(k));
        }
        return out;
    }

    public TerminalEnvironment episode(int i) {
        return episodes.get(i);
    }

    public int size() {
        return episodes.size();
    }

    /** Every episode's transcript, in task order. */
    public List<Transcript> transcripts() {
        return episodes.stream().map(TerminalEnvironment::transcript).toList();
    }

    @Override
    public void close() {
        episodes.forEach(TerminalEnvironment::close);
    }

    private interface Op<T> {
        T apply(int i);
    }

    private <T> List<T> all(List<Integer> ids, Op<T> op) {
        List<Callable<T>> calls = ids.stream().map(i -> (Callable<T>) () -> op.apply(i)).toList();
        List<T> out = new ArrayList<>();
        try {
            for (Future<T> f : executor.invokeAll(calls)) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stepping episodes", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return out;
    }
}
