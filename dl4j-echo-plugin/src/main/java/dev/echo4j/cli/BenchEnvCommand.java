package dev.echo4j.cli;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.env.TerminalSession;
import dev.echo4j.task.Folders;
import dev.echo4j.task.Task;
import dev.echo4j.task.TaskSandbox;
import dev.echo4j.task.suite.Split;
import dev.echo4j.task.suite.TaskSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Round trip of a trivial command in a warm session, episode start-up, verifier time: medians over many runs. */
@Command(name = "env", description = {"Terminal environment speed: command round trip (target: median <= 5 ms), episode start-up, verifier.",
        "Example: ./echo4j bench env --runs 500"})
final class BenchEnvCommand implements Callable<Integer> {

    @Mixin
    SandboxOptions sandbox;

    @Option(names = "--runs", defaultValue = "500", description = "Round trips measured (default: ${DEFAULT-VALUE}); start-up and verifier use a tenth.")
    int runs;

    @Override
    public Integer call() throws IOException {
        SandboxConfig config = sandbox.config();
        Path root = Files.createTempDirectory("echo4j-bench-", SandboxOptions.SEARCHABLE);
        try {
            Path work = Files.createDirectories(root.resolve("work"));
            double[] roundTrip;
            try (TerminalSession s = TerminalSession.start(work, List.of(), config)) {
                for (int i = 0; i < 50; i++) {
                    s.run("true");
                }
                roundTrip = measure(runs, () -> s.run("true"));
                print("round trip of 'true' in a warm session", roundTrip);
                print("round trip of 'echo hi; cd /tmp; X=$((X+1))'", measure(runs, () -> s.run("echo hi; cd /tmp; X=$((X+1))")));
            }
            int few = Math.max(10, runs / 10);
            print("sandbox start (bare session)", measure(few, () -> {
                TerminalSession.start(work, List.of(), config).close();
                return null;
            }));
            List<Path> tasks = TaskSuite.generate(root.resolve("tasks"), Split.TRAIN, TaskSuite.TRAIN_FAMILIES.size(), 1);
            int[] next = {0};
            print("episode start-up (task folder copied, sandbox started)", measure(few, () -> {
                TaskSandbox.open(Task.load(tasks.get(next[0]++ % tasks.size())), config).close();
                return null;
            }));
            double[] verify = new double[few];
            for (int i = 0; i < few; i++) {
                try (TaskSandbox box = TaskSandbox.open(Task.load(tasks.get(i % tasks.size())), config)) {
                    box.runSolution();
                    long t0 = System.nanoTime();
                    double reward = box.verify().reward();
                    verify[i] = (System.nanoTime() - t0) / 1e6;
                    if (reward != 1.0) {
                        System.err.println("warning: reference solution of " + tasks.get(i % tasks.size()).getFileName() + " scored " + reward);
                    }
                }
            }
            print("verifier (tests copied in, test.sh run, reward read)", verify);
            Arrays.sort(roundTrip);
            double median = roundTrip[roundTrip.length / 2];
            System.out.printf("round-trip target (median <= 5 ms): %s (%.2f ms)%n", median <= 5 ? "met" : "MISSED", median);
            return 0;
        } catch (SandboxUnavailableException e) {
            return SandboxOptions.unavailable(e);
        } finally {
            Folders.deleteTree(root);
        }
    }

    private static double[] measure(int n, Supplier<?> op) {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            op.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static void print(String what, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        System.out.printf("%-58s median %8.2f ms   p10 %8.2f   p90 %8.2f   (n=%d)%n", what, s[s.length / 2], s[s.length / 10],
                s[s.length * 9 / 10], s.length);
    }
}
