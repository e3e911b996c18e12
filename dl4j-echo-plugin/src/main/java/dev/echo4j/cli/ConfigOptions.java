package dev.echo4j.cli;

import dev.echo4j.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The training config, its overrides and the task cache: shared by the commands that train or evaluate. */
final class ConfigOptions {

    private static final String DEFAULT_CONFIG = "train-tiny";

    /** No default value here, so that {@code train --resume} can tell an explicit {@code --config} from none. */
    @Option(names = "--config", description = "Zoo training config name or YAML/JSON file (default: " + DEFAULT_CONFIG
            + "; with train --resume: the run's own config.yaml).")
    String config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting, e.g. --set objective.lambda=0.01 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--tasks-root", defaultValue = "${sys:echo4j.home:-.}/runs/tasks", description = "Where generated tasks are cached (default: ${DEFAULT-VALUE}).")
    Path tasksRoot;

    /** The config with the overrides, then {@code extra} overrides, applied. */
    TrainConfig load(String... extra) {
        return loadOver(DEFAULT_CONFIG, extra);
    }

    /** As {@link #load}, but starting from {@code fallback} (a config name or file) when {@code --config} is not given. */
    TrainConfig loadOver(String fallback, String... extra) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(List.of(extra));
        return TrainConfig.load(config != null ? config : fallback, all);
    }
}
