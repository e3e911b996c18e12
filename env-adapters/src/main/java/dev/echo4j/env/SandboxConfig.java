package dev.echo4j.env;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a terminal session is contained and capped.
 *
 * @param backend         bubblewrap, or the explicitly opted-in unsandboxed local shell
 * @param bwrapPath       the bubblewrap binary (a missing one makes {@link TerminalSession#start} refuse)
 * @param commandTimeout  wall-clock limit of one command; its whole process tree is killed after it
 * @param cpuSeconds      CPU-time cap of each process a command starts ({@code ulimit -t}); a command with a longer
 *                        timeout gets its timeout times {@code cpus}
 * @param cpus            the cores a task counts on (task.toml [environment] cpus)
 * @param memoryBytes     memory cap of each process ({@code ulimit -d}: the private memory it can write; address space it
 *                        only reserves, as the OCaml 5, Java and Go runtimes do, counts no more than under Docker's limit)
 * @param maxProcesses    process cap of the sandbox user ({@code ulimit -u}); enforced when the JVM can
 *                        run the sandbox as an unprivileged user (it drops root to {@code nobody})
 * @param maxOutputBytes  output kept per command; beyond it the head and tail are kept around a note
 */
public record SandboxConfig(SandboxBackend backend, Path bwrapPath, Duration commandTimeout, long cpuSeconds, double cpus,
                            long memoryBytes, int maxProcesses, int maxOutputBytes) {

    public static final Path DEFAULT_BWRAP = Path.of("/usr/bin/bwrap");

    public SandboxConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(bwrapPath, "bwrapPath");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive, got " + commandTimeout);
        }
        positive("cpuSeconds", cpuSeconds);
        if (!(cpus > 0)) {
            throw new IllegalArgumentException("cpus must be positive, got " + cpus);
        }
        if (memoryBytes < (64L << 20)) {
            throw new IllegalArgumentException("memoryBytes must be at least 64 MiB (bash and coreutils need it), got " + memoryBytes);
        }
        positive("maxProcesses", maxProcesses);
        if (maxOutputBytes < 64) {
            throw new IllegalArgumentException("maxOutputBytes must be at least 64, got " + maxOutputBytes);
        }
    }

    /** bubblewrap, 30 s per command (the paper's), 60 CPU s, 2 GiB, 256 processes, 16 KiB of output. */
    public static SandboxConfig defaults() {
        return new SandboxConfig(SandboxBackend.BUBBLEWRAP, DEFAULT_BWRAP, Duration.ofSeconds(30), 60, 1, 2L << 30, 256, 16 * 1024);
    }

    public SandboxConfig withBackend(SandboxBackend b) {
        return new SandboxConfig(b, bwrapPath, commandTimeout, cpuSeconds, cpus, memoryBytes, maxProcesses, maxOutputBytes);
    }

    public SandboxConfig withBwrapPath(Path p) {
        return new SandboxConfig(backend, p, commandTimeout, cpuSeconds, cpus, memoryBytes, maxProcesses, maxOutputBytes);
    }

    public SandboxConfig withCommandTimeout(Duration t) {
        return new SandboxConfig(backend, bwrapPath, t, cpuSeconds, cpus, memoryBytes, maxProcesses, maxOutputBytes);
    }

    public SandboxConfig withMaxOutputBytes(int n) {
        return new SandboxConfig(backend, bwrapPath, commandTimeout, cpuSeconds, cpus, memoryBytes, maxProcesses, n);
    }

    /** The task's own resources: {@code cpus} cores, and a memory cap per process when it sets one (else this one's). */
    public SandboxConfig withResources(double c, long memory) {
        return new SandboxConfig(backend, bwrapPath, commandTimeout, cpuSeconds, c, memory, maxProcesses, maxOutputBytes);
    }

    /** The CPU-seconds a command with this wall-clock timeout may use in each process. */
    public long cpuSecondsFor(Duration timeout) {
        return Math.max(cpuSeconds, (long) Math.ceil(timeout.toMillis() / 1000.0 * cpus));
    }

    private static void positive(String field, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + v);
        }
    }
}
