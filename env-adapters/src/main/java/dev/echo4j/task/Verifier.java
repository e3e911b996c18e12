package dev.echo4j.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.echo4j.env.CommandResult;
import dev.echo4j.env.TerminalSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task's tests after the agent has finished, in the same sandbox: copies {@code tests/} in (the agent
 * never saw it), with a Terminal-Bench 2 {@code test.sh} rewritten to run offline ({@link OfflineScript}),
 * clears anything the agent may have written to {@code /logs/verifier}, runs {@code bash /tests/test.sh} from
 * the task's working folder under the verifier's timeout, and reads the reward. A verifier that could not run its
 * tests is reported as a verifier error, not as the agent's 0.
 */
public final class Verifier {

    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    /** Output that shows the tests never ran: a missing command or module, no network, pytest finding nothing to run. */
    private static final Pattern CANNOT_RUN = Pattern.compile("(?m)(/tests/test\\.sh: line \\d+: [^\\n]*command not found|python[0-9.]*: No module named \\S+"
            + "|Could not resolve host[^\\n]*"
            + "|Temporary failure in name resolution|Network is unreachable|ERROR collecting [^\\n]+|no tests ran|"
            + "error: unrecognized arguments[^\\n]*|file or directory not found: [^\\n]+|INTERNALERROR> [^\\n]*Error[^\\n]*)");

    private Verifier() {
    }

    public static VerifierResult verify(Task task, TerminalSession session, String workdir, Path testsHostDir, Path verifierLogsHostDir) {
        try {
            clear(verifierLogsHostDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + verifierLogsHostDir + " for the verifier of task " + task.name(), e);
        }
        Folders.copyTree(task.testsDir(), testsHostDir);
        OfflineScript offline = task.offlineTestScript();
        if (!offline.rewritten().isEmpty()) {
            try {
                Files.writeString(testsHostDir.resolve("test.sh"), offline.script());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the offline test.sh of task " + task.name(), e);
            }
            LOG.info("task {}: tests/test.sh rewritten to run offline: {}", task.name(), String.join("; ", offline.rewritten()));
        }
        CommandResult run = session.run("cd " + TaskVariables.quote(workdir) + " && " + TaskVariables.assignments(task.variables().verifier())
                + "bash /tests/test.sh", task.verifierTimeout());
        if (run.timedOut()) {
            return VerifierResult.failed(run, "the verifier ran past its " + task.verifierTimeout().toSeconds() + " s timeout");
        }
        Optional<String> cannotRun = cannotRun(run);
        Path txt = verifierLogsHostDir.resolve("reward.txt");
        Path json = verifierLogsHostDir.resolve("reward.json");
        try {
            if (Files.isRegularFile(txt)) {
                String s = Files.readString(txt).strip();
                double reward;
                try {
                    reward = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return VerifierResult.error(run, "reward.txt holds '" + s + "', not a number");
                }
                return reward == 0 && cannotRun.isPresent() ? VerifierResult.error(run, "the verifier could not run its tests: " + cannotRun.get())
                        : VerifierResult.scored(reward, run);
            }
            if (Files.isRegularFile(json)) {
                JsonNode r = JsonMapper.builder().build().readTree(json.toFile()).path("reward");
                if (!r.isNumber()) {
                    return VerifierResult.error(run, "reward.json has no numeric field 'reward'");
                }
                return r.asDouble() == 0 && cannotRun.isPresent() ? VerifierResult.error(run, "the verifier could not run its tests: " + cannotRun.get())
                        : VerifierResult.scored(r.asDouble(), run);
            }
        } catch (IOException e) {
            return VerifierResult.error(run, "cannot read the reward: " + e.getMessage());
        }
        return VerifierResult.error(run, "tests/test.sh wrote neither /logs/verifier/reward.txt nor reward.json (exit " + run.exitCode() + ")"
                + cannotRun.map(c -> ": " + c).orElse(""));
    }

    private static Optional<String> cannotRun(CommandResult run) {
        if (run.exitCode() == 127) {
            return Optional.of("a command was not found (exit 127)");
        }
        Matcher m = CANNOT_RUN.matcher(run.output());
        return m.find() ? Optional.of(m.group().strip()) : Optional.empty();
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            s.toList().forEach(Folders::deleteTree);
        }
    }
}
