package dev.echo4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.echo4j.env.CommandResult;
import dev.echo4j.env.SandboxConfig;
import dev.echo4j.task.Folders;
import dev.echo4j.task.Task;
import dev.echo4j.task.TaskSandbox;
import dev.echo4j.task.VerifierResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Terminal-Bench-2-style task whose environment is only a Dockerfile (debian:bookworm-slim, a RUN installing
 * bc, ENV, ARG, WORKDIR, COPY), with task.toml's [environment.env], [verifier.env] and [solution.env], and whose
 * verifier is the published uvx/pytest boilerplate, built and run for real. The first run builds the Debian base and the image (a few minutes); later runs find both in the cache.
 */
class ImageTaskTest {

    @TempDir
    Path dir;

    private Task task;

    @BeforeEach
    void copyTask() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "building images needs root");
        assumeTrue(Files.isExecutable(SandboxConfig.DEFAULT_BWRAP), "needs bubblewrap");
        Folders.copyTree(Path.of(getClass().getResource("/image-task").toURI()), dir.resolve("image-task"));
        task = Task.load(dir.resolve("image-task"));
    }

    @Test
    void doingNothingScoresZeroAndTheSolutionScoresOne() {
        try (TaskSandbox box = TaskSandbox.open(task, SandboxConfig.defaults())) {
            assertEquals("/work/project", box.workdir());
            VerifierResult v = box.verify();
            assertFalse(v.error(), v.problem() + "\n" + v.run().output());
            assertEquals(0.0, v.reward(), v.run().output());
            assertTrue(v.run().output().contains("1 failed, 5 passed"), v.run().output());
        }
        try (TaskSandbox box = TaskSandbox.open(task, SandboxConfig.defaults())) {
            CommandResult solved = box.runSolution();
            assertEquals(0, solved.exitCode(), solved.output());
            VerifierResult v = box.verify();
            assertEquals(1.0, v.reward(), v.run().output());
            assertTrue(v.run().output().contains("6 passed"), v.run().output());
        }
    }

    @Test
    void theAgentSeesTheImageWritableOfflineAndWithoutTheTests() {
        try (TaskSandbox box = TaskSandbox.open(task, SandboxConfig.defaults())) {
            String out = box.session().run("pwd; echo \"$GREETING|$TASK_LEVEL|${ONLY_FOR_TESTS-none}|${ONLY_FOR_SOLUTION-none}|${SUBDIR-none}\";"
                    + " . /etc/os-release; echo $VERSION_CODENAME; find /tests /solution -mindepth 1 | wc -l;"
                    + " ls; echo '[x]' > /etc/probe.conf && touch /usr/local/bin/tool /root/.probe && echo system-writable;"
                    + " (echo > /dev/tcp/151.101.2.132/80) 2>/dev/null || echo offline; touch new.txt /tmp/t && echo workdir-writable").output();
            assertEquals(List.of("/work/project", "hello from task.toml|from task.toml|none|none|none", "bookworm", "0", "data", "numbers.txt",
                    "system-writable", "offline", "workdir-writable"), out.lines().toList());
        }
        try (TaskSandbox box = TaskSandbox.open(task, SandboxConfig.defaults())) {
            assertEquals("fresh\n", box.session().run("ls /etc/probe.conf /usr/local/bin/tool /root/.probe 2>/dev/null || echo fresh").output(),
                    "each episode starts from the image as built");
        }
    }

    /**
     * gcode-to-text's verifier needs pytesseract, which Debian does not package: the build says so in its progress lines,
     * not only in the build log, so that a verifier's ImportError later is not a surprise.
     */
    @Test
    void aVerifierPackageDebianLacksIsNamedWhileBuilding() {
        Path dockerfile = task.dockerfile().orElseThrow();
        List<String> extra = List.of("python3-echo4j-no-such-package");
        Path cache = ImageBuilder.defaultCache();
        Folders.deleteTree(cache.resolve(ImageBuilder.key(dockerfile, ImageRecipe.of(dockerfile).base(), extra)));
        List<String> lines = new ArrayList<>();
        new ImageBuilder(cache, lines::add).build(dockerfile, extra, Duration.ofMinutes(10));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Debian has no package python3-echo4j-no-such-package: ")), String.join("\n", lines));
    }

    @Test
    void theImageIsBuiltOnceAndRebuiltWhenItsContextChanges() throws Exception {
        Image first = TaskSandbox.image(task);
        Image again = TaskSandbox.image(task);
        assertTrue(again.cacheHit());
        assertEquals(first.dir(), again.dir());
        Path dockerfile = task.dockerfile().orElseThrow();
        BaseImage base = first.base();
        String before = ImageBuilder.key(dockerfile, base, List.of());
        Files.writeString(dockerfile.resolveSibling("numbers.txt"), "1\n2\n");
        assertNotEquals(before, ImageBuilder.key(dockerfile, base, List.of()));
        Files.writeString(dockerfile.resolveSibling("numbers.txt"), "10\n20\n30\n");
        assertEquals(before, ImageBuilder.key(dockerfile, base, List.of()));
        assertNotEquals(before, ImageBuilder.key(dockerfile, BaseImage.of("debian:trixie").orElseThrow(), List.of()),
                "another Debian release standing in is another image");
    }
}
