package dev.echo4j.rollout;

import dev.echo4j.task.Folders;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.task.suite.TaskFamily;
import dev.echo4j.task.suite.TaskSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Generated task folders, written once per (split, count, suite seed, families) and reused by later runs. The
 * folder's name carries a digest of the families drawn from, so a suite that gained or lost a family is
 * generated anew rather than read stale.
 */
public final class TaskSets {

    private TaskSets() {
    }

    /** The tasks of a split under {@code root}, generating them if that folder is not complete yet. */
    public static List<Task> prepare(Path root, Split split, int count, long suiteSeed) {
        return prepare(root, split, count, suiteSeed, List.of());
    }

    /** The tasks of a split drawn from {@code trainFamilies} (names; empty for every training family). */
    public static synchronized List<Task> prepare(Path root, Split split, int count, long suiteSeed, List<String> trainFamilies) {
        String families = TaskSuite.families(split, trainFamilies).stream().map(TaskFamily::name).collect(Collectors.joining(","));
        Path dir = root.resolve(split.id() + "-" + suiteSeed + "-" + count
                + "-" + String.format("%08x", families.hashCode()));
        if (list(dir).size() != count) {
            generate(dir, split, count, suiteSeed, trainFamilies);
        }
        return list(dir).stream().map(Task::load).toList();
    }

    /**
     * Generates the set beside {@code dir} and moves it in whole, so that runs in other threads or processes
     * (compare and tune train several at once) see either no set or a complete one.
     */
    static void generate(Path dir, Split split, int count, long suiteSeed, List<String> trainFamilies) {
        try {
            Files.createDirectories(dir.getParent());
            Path staging = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".partial-");
            TaskSuite.generate(staging, split, count, suiteSeed, trainFamilies);
            if (Files.exists(dir) && list(dir).size() != count) {
                Folders.deleteTree(dir);
            }
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another process moved the same set in first; renaming onto its folder fails with ENOTEMPTY,
                // which Java reports as a plain FileSystemException, not DirectoryNotEmptyException.
                Folders.deleteTree(staging);
                if (list(dir).size() != count) {
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate tasks in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The name of the task set {@code tasks} came from (its folder: split, suite seed, count and families digest),
     * for caches of what was computed from exactly these tasks.
     */
    public static String name(List<Task> tasks) {
        return tasks.get(0).dir().getParent().getFileName().toString();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("instruction.md"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
