package dev.echo4j.cli;

import static dev.echo4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvCliTest {

    @Test
    void generateThenRunTaskWithAndWithoutTheSolution(@TempDir Path dir) throws Exception {
        String[] gen = run("tasks", "generate", "--out", dir.toString(), "--split", "heldout", "--count", "2", "--seed", "4");
        assertEquals("0", gen[0]);
        List<String> tasks = gen[1].lines().toList();
        assertEquals(2, tasks.size());
        assertTrue(Files.isRegularFile(Path.of(tasks.get(0), "task.toml")));
        assertEquals(List.of("0", "1.0"), List.of(run("env", "run-task", tasks.get(0), "--solution")).stream().map(String::strip).toList());
        assertEquals(List.of("0", "0.0"), List.of(run("env", "run-task", tasks.get(0))).stream().map(String::strip).toList());
    }

    @Test
    void execPrintsTheObservation() {
        String[] r = run("env", "exec", "--", "echo hi; exit 4");
        assertEquals("0", r[0]);
        assertEquals("Command 'echo hi; exit 4' failed. Output:\nhi\n(exit_code=4)\n", r[1]);
    }

    @Test
    void badInputGetsAMessageNotAStackTrace(@TempDir Path dir) {
        assertEquals("2", run("env", "run-task", dir.toString())[0]);
        assertEquals("2", run("env", "exec", "--bwrap", "/nonexistent/bwrap", "--", "ls")[0]);
        assertEquals("2", run("tasks", "generate", "--out", dir.toString(), "--split", "nope", "--count", "1")[0]);
    }
}
