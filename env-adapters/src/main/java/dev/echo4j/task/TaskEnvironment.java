package dev.echo4j.task;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A task's {@code [environment]} table: the resources its sandbox gets and how long its image may take to build.
 * The sandbox never has the internet, so a task whose {@code allow_internet = true} (written into every published
 * Terminal-Bench 2.1 task, also those that never use the network) is refused by the commands that run tasks unless
 * the user accepts running it offline ({@code --offline}). A task.toml without the field is taken as offline
 * (Harbor's own default is true; echo4j's generated tasks leave it out).
 *
 * @param cpus         the CPU cores the task counts on: each command may use its timeout times this in CPU-seconds
 * @param memoryMb     the memory cap of each process, when the task sets one
 * @param buildTimeout the longest one step of building the task's Dockerfile may take
 * @param internetAllowed whether task.toml allows the internet (it gets none here)
 */
public record TaskEnvironment(double cpus, OptionalLong memoryMb, Duration buildTimeout, boolean internetAllowed) {

    public static final TaskEnvironment DEFAULTS = new TaskEnvironment(1, OptionalLong.empty(), Duration.ofMinutes(10), false);

    public TaskEnvironment {
        if (!(cpus > 0)) {
            throw new IllegalArgumentException("cpus must be positive, got " + cpus);
        }
        if (memoryMb.isPresent() && memoryMb.getAsLong() < 64) {
            throw new IllegalArgumentException("memory_mb must be at least 64, got " + memoryMb.getAsLong());
        }
    }
}
