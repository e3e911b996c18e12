package dev.echo4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-candidate Arbiter search over lambda (log-uniform) and learning rate on the tiny model: each
 * candidate trains for one step in the sandbox and is evaluated on held-out tasks. Checks the recorded
 * results, the run folders, the tables and plot, the reported best, and that a resumed search reruns nothing.
 */
class HyperparameterSearchTest {

    private static final List<String> TINY = List.of("steps=1", "prompts_per_step=1", "group_size=2", "checkpoint_every=0",
            "rollout.max_turns=2", "rollout.max_new_tokens=16", "tasks.train_count=4", "tasks.heldout_count=2",
            "eval.samples=1", "eval.k=1");

    private static SearchSpec spec(int candidates) {
        Map<String, ParameterSpec> space = new LinkedHashMap<>();
        space.put("objective.lambda", ParameterSpec.logUniform(0.003, 0.2));
        space.put("optimizer.learning_rate", ParameterSpec.logUniform(1e-4, 1e-3));
        return new SearchSpec("train-tiny", Map.of(), space, SearchKind.RANDOM, 5, 7, candidates, 30, Objective.PASS1, "objective.lambda");
    }

    @Test
    void searchesRecordsReportsBestAndResumes(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("search");
        SearchSpec spec = spec(3);
        EchoTrial trial = new EchoTrial(spec.baseConfig(), spec.fixedOverrides(TINY), tmp.resolve("tasks"), SandboxConfig.defaults());
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        HyperparameterSearch.Summary summary = new HyperparameterSearch(spec, dir, trial)
                .run(new PrintStream(table, true, StandardCharsets.UTF_8), System.err);

        assertEquals(List.of(0, 1, 2), summary.results().stream().map(TrialResult::index).toList());
        for (TrialResult r : summary.results()) {
            assertTrue(r.ok(), "candidate " + r.index() + " failed: " + r.reason());
            double lambda = (Double) r.values().get("objective.lambda");
            assertTrue(lambda >= 0.003 && lambda <= 0.2, "lambda drawn from the space: " + lambda);
            double pass1 = r.metrics().get("pass1");
            assertTrue(pass1 >= 0 && pass1 <= 1, "pass@1 " + pass1);
            assertTrue(Double.isFinite(r.metrics().get("env_ce")) && r.metrics().get("env_ce") > 0, "env CE " + r.metrics());
            assertEquals(Objective.PASS1.score(r.metrics()), r.score(), 0.0);
            Path run = Path.of(r.runDir());
            assertEquals(dir.resolve(String.format("candidate-%03d", r.index())), run);
            assertTrue(Files.readString(run.resolve("config.yaml")).contains("lambda: " + lambda), "the candidate's lambda was trained with");
            assertTrue(Files.size(run.resolve("metrics.jsonl")) > 0);
            assertTrue(Files.isDirectory(run.resolve("checkpoints").resolve("step-000001")));
        }
        double bestScore = summary.results().stream().mapToDouble(TrialResult::score).max().orElseThrow();
        assertNotNull(summary.best());
        assertEquals(bestScore, summary.best().score(), 0.0, "the best candidate has the highest score");

        assertEquals(3, Files.readAllLines(dir.resolve("results.jsonl")).size());
        assertEquals(4, Files.readAllLines(dir.resolve("results.csv")).size(), "header + 3 rows");
        String md = Files.readString(dir.resolve("results.md"));
        assertTrue(md.contains("Best: candidate " + summary.best().index()), md);
        assertTrue(Files.size(dir.resolve("score-vs-lambda.png")) > 0);
        String live = table.toString(StandardCharsets.UTF_8);
        assertEquals(4, live.lines().count(), "live table: header + one row per candidate\n" + live);

        // Resumed: the recorded candidates come back as recorded; nothing is trained again.
        FileTime before = Files.getLastModifiedTime(dir.resolve("candidate-000").resolve("metrics.jsonl"));
        HyperparameterSearch.Summary resumed = new HyperparameterSearch(spec, dir, trial)
                .run(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8), System.err);
        assertEquals(summary.results(), resumed.results());
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("candidate-000").resolve("metrics.jsonl")));
        assertEquals(3, Files.readAllLines(dir.resolve("results.jsonl")).size());
    }
}
