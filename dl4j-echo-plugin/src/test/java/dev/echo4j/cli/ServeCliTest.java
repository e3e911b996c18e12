package dev.echo4j.cli;

import static dev.echo4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.model.Checkpoint;
import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptJsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving commands end to end on a tiny checkpoint: predict --check, run-agent and eval --tasks. */
class ServeCliTest {

    @TempDir
    static Path tmp;
    private static Path ckpt;

    @BeforeAll
    static void checkpoint() {
        ckpt = tmp.resolve("ckpt");
        Checkpoint.save(ckpt, Qwen3Model.create(ModelConfig.zoo("tiny"), 2), new ByteTokenizer());
    }

    @Test
    void predictCheckRunsTheCommandAndScoresItsOutput() {
        String[] r = run("predict", ckpt.toString(), "--command", "echo hello-$((6*7))", "--max-tokens", "8", "--check");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("--- predicted (8 tokens") || r[1].contains("tokens, stop)"), r[1]);
        assertTrue(r[1].contains("--- actual ---\nCommand 'echo hello-$((6*7))' executed successfully. Output:\nhello-42\n(exit_code=0)"), r[1]);
        Matcher m = Pattern.compile("cross-entropy of the actual output: ([0-9.]+) nats/token over (\\d+) tokens").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        double ce = Double.parseDouble(m.group(1));
        // an untrained model is close to uniform over its 264 ids: about ln 264 = 5.58 nats
        assertTrue(ce > 4 && ce < 7, "cross-entropy " + ce);
        assertEquals("executed successfully. Output:\nhello-42\n(exit_code=0)".length(), Integer.parseInt(m.group(2)));
    }

    @Test
    void runAgentPlaysATaskAndSavesItsTranscript() {
        Path task = TaskSets.prepare(tmp.resolve("tasks"), Split.HELDOUT, 1, 5).get(0).dir();
        Path out = tmp.resolve("agent.jsonl");
        String[] r = run("run-agent", ckpt.toString(), "--task", task.toString(), "--set", "rollout.max_turns=2", "--set", "rollout.max_new_tokens=8",
                "--transcript", out.toString());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("--- turn 1: agent ---") && r[1].contains("--- turn 2: agent ---"), r[1]);
        assertTrue(r[1].contains("episode ended: MAX_TURNS after 2 turns"), r[1]);
        assertTrue(r[1].contains("reward: 0.0"), "an untrained agent solves nothing, and the verifier says so: " + r[1]);
        List<Transcript> saved = TranscriptJsonl.read(out);
        assertEquals(1, saved.size());
        assertEquals(2, saved.get(0).turns());
    }

    /**
     * An instruction too long for the training window (1280) but not for the model's (2048) plays; one too long
     * for the model's is refused in one line before any sandbox starts (it once played one silent turn).
     */
    @Test
    void runAgentsWindowIsTheModelsAndAnInstructionThatCannotFitIsRefusedFirst() {
        String longer = "Count the lines. ".repeat(90);
        String[] r = run("run-agent", ckpt.toString(), "--instruction", longer, "--set", "rollout.max_turns=2", "--set", "rollout.max_new_tokens=8",
                "--transcript", tmp.resolve("long.jsonl").toString());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("(window 2048 tokens, "), r[1]);
        assertTrue(r[1].contains("episode ended: MAX_TURNS after 2 turns") && !r[1].contains("context full"), r[1]);
        String[] refused = CliRun.runCapturingStderr("run-agent", ckpt.toString(), "--instruction", "Count the lines. ".repeat(130),
                "--set", "rollout.max_new_tokens=8");
        assertEquals("2", refused[0], refused[1] + refused[2]);
        assertEquals("", refused[1], "nothing was played");
        assertEquals(1, refused[2].strip().lines().count(), refused[2]);
        assertTrue(refused[2].matches("task \\S+: the system prompt and instruction take \\d+ tokens; with 8 for a turn that is more than"
                + " the 2048-token window.*\\s*"), refused[2]);
        String[] tooWide = CliRun.runCapturingStderr("run-agent", ckpt.toString(), "--instruction", "ls", "--set", "rollout.max_sequence_tokens=4096");
        assertEquals("2", tooWide[0]);
        assertEquals("echo4j: rollout.max_sequence_tokens = 4096 is more than the model's window (max_position_embeddings = 2048)\n", tooWide[2]);
    }

    /** eval --tasks plays in the model's window too (it once kept the training config's 1280), and refuses what cannot fit. */
    @Test
    void evalOnATaskFolderUsesTheModelsWindow() throws Exception {
        Path tasks = tmp.resolve("eval-tasks");
        harborTask(tasks.resolve("fits"), "Count the lines. ".repeat(90));
        harborTask(tasks.resolve("too-long"), "Count the lines. ".repeat(130));
        String[] r = run("eval", ckpt.toString(), "--tasks", tasks.toString(), "--set", "eval.samples=1", "--set", "eval.k=1",
                "--set", "rollout.max_turns=1", "--set", "rollout.max_new_tokens=8");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains(": 1 tasks x 1 samples (temperature ") && r[1].contains(", window 2048 tokens)"), r[1]);
        assertTrue(r[1].matches("(?s).*\\nfits +0/1 .*"), "the task too long for 1280 tokens is played: " + r[1]);
        assertTrue(r[1].contains("  refused: task too-long: the system prompt and instruction take "), r[1]);
        assertTrue(r[1].contains(" the 2048-token window, so the agent could not act"), r[1]);
    }

    private static void harborTask(Path dir, String instruction) throws IOException {
        Files.createDirectories(dir.resolve("tests"));
        Files.writeString(dir.resolve("instruction.md"), instruction);
        Files.writeString(dir.resolve("task.toml"), "[agent]\ntimeout_sec = 60\n[verifier]\ntimeout_sec = 30\n");
        Files.writeString(dir.resolve("tests/test.sh"), "echo 0 > /logs/verifier/reward.txt\n");
    }

    @Test
    void runAgentOnABareInstructionHasNoVerifier() {
        Path out = tmp.resolve("scratch.jsonl");
        String[] r = run("run-agent", ckpt.toString(), "--instruction", "Create hello.txt", "--set", "rollout.max_turns=1", "--set", "rollout.max_new_tokens=4",
                "--transcript", out.toString());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("reward: none (a bare instruction has no verifier)"), r[1]);
        assertEquals("Create hello.txt", TranscriptJsonl.read(out).get(0).chatMessages().get(1).content());
        assertEquals("2", run("run-agent", ckpt.toString())[0], "--task or --instruction is required");
    }
}
