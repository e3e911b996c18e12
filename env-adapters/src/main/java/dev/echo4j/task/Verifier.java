package dev.echo4j.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.echo4j.env.CommandResult;
import dev.echo4j.env.TerminalSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Runs a task's tests after the agent has finished, in the same sandbox: copies {@code tests/} in (the agent
 * never saw it), clears anything the agent may have written to {@code /logs/verifier}, runs
 * {@code bash /tests/test.sh} from {@code /app} under the verifier's timeout, and reads the reward.
 */
public final class Verifier {

    private Verifier() {
    }

    public static VerifierResult verify(Task task, TerminalSession session, Path testsHostDir, Path verifierLogsHostDir) {
        try {
            clear(verifierLogsHostDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + verifierLogsHostDir + " for the verifier of task " + task.name(), e);
        }
        Folders.copyTree(task.testsDir(), testsHostDir);
        CommandResult run = session.run("cd /app && bash /tests/test.sh", task.verifierTimeout());
        if (run.timedOut()) {
            return new VerifierResult(0, run, "the verifier ran past its " + task.verifierTimeout().toSeconds() + " s timeout");
        }
        Path txt = verifierLogsHostDir.resolve("reward.txt");
        Path json = verifierLogsHostDir.resolve("reward.json");
        try {
            if (Files.isRegularFile(txt)) {
                String s = Files.readString(txt).strip();
                try {
                    return new VerifierResult(Double.parseDouble(s), run, null);
                } catch (NumberFormatException e) {
                    return new VerifierResult(0, run, "reward.txt holds '" + s + "', not a number");
                }
            }
            if (Files.isRegularFile(json)) {
                JsonNode r = JsonMapper.builder().build().readTree(json.toFile()).path("reward");
                return r.isNumber() ? new VerifierResult(r.asDouble(), run, null)
                        : new VerifierResult(0, run, "reward.json has no numeric field 'reward'");
            }
        } catch (IOException e) {
            return new VerifierResult(0, run, "cannot read the reward: " + e.getMessage());
        }
        return new VerifierResult(0, run, "tests/test.sh wrote neither /logs/verifier/reward.txt nor reward.json (exit " + run.exitCode() + ")");
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            s.toList().forEach(Folders::deleteTree);
        }
    }
}
