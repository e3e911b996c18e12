package dev.echo4j.cli;

import dev.echo4j.model.Checkpoint;
import dev.echo4j.rollout.RolloutCollector;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.task.Task;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.TrainConfig;
import java.util.Optional;

/**
 * The token window of a model playing tasks it was not trained on (run-agent, eval --tasks): the model's own
 * {@code max_position_embeddings}, not the training config's window (1280 tokens, which a real task's instruction
 * alone can fill), unless {@code --set rollout.max_sequence_tokens=N} says otherwise.
 */
final class ModelWindow {

    private static final String KEY = "rollout.max_sequence_tokens";

    private ModelWindow() {
    }

    /** The config with the model's window; a window set wider than the model's is refused (IllegalArgumentException). */
    static TrainConfig config(ConfigOptions options, Checkpoint.Loaded loaded) {
        int window = loaded.model().config().maxPositionEmbeddings();
        boolean set = options.overrides.stream().anyMatch(o -> o.startsWith(KEY + "="));
        TrainConfig cfg = set ? options.load() : options.load(KEY + "=" + window);
        if (cfg.rollout().maxSequenceTokens() > window) {
            throw new IllegalArgumentException(KEY + " = " + cfg.rollout().maxSequenceTokens() + " is more than the model's window"
                    + " (max_position_embeddings = " + window + ")");
        }
        return cfg;
    }

    /** Why {@code task} cannot be played in the window (its opening leaves no room for a turn), or empty when it can. */
    static Optional<String> tooLong(Task task, ChatTemplate template, RolloutSettings settings) {
        int opening = RolloutCollector.openingTokens(template, settings, task);
        if (opening + settings.maxNewTokens() <= settings.maxSequenceTokens()) {
            return Optional.empty();
        }
        return Optional.of("task " + task.name() + ": the system prompt and instruction take " + opening + " tokens; with "
                + settings.maxNewTokens() + " for a turn that is more than the " + settings.maxSequenceTokens()
                + "-token window, so the agent could not act (a shorter instruction, or a model with a longer window, would)");
    }
}
