package dev.echo4j.rollout;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.sampling.KvCacheDecoder;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.task.Task;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.tokenizer.Tokenizer;
import java.util.List;
import java.util.Optional;

/**
 * Where a step's episodes are played: on this machine ({@link RolloutCollector}) or spread over a cluster
 * (echo4j-spark). Either way an episode's tokens depend only on the policy, its task and its index in the step.
 */
public interface RolloutEngine extends AutoCloseable {

    /** {@code groupSize} episodes of each task under the policy as it is now, returned group by group in task order. */
    List<Rollout> collect(List<Task> tasks, int groupSize, SamplingConfig sampling);

    /** How the policy reached the executors for the last {@link #collect}; empty where it is not sent (on this machine). */
    default Optional<PolicySend> lastPolicySend() {
        return Optional.empty();
    }

    @Override
    void close();

    /** Opens engines over a policy that the trainer may update between steps. */
    @FunctionalInterface
    interface Factory {

        /** Plays episodes on this machine, as many at once as {@code settings.workers()}. */
        Factory LOCAL = (model, tokenizer, sandbox, settings) ->
                new RolloutCollector(new KvCacheDecoder(model), new ChatTemplate(tokenizer), sandbox, settings);

        RolloutEngine open(Qwen3Model model, Tokenizer tokenizer, SandboxConfig sandbox, RolloutSettings settings);
    }
}
