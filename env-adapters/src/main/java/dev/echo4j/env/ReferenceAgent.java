package dev.echo4j.env;

import dev.echo4j.task.Task;
import dev.echo4j.transcript.Transcript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays a task's reference solution through the harness, one command per turn, then {@code <done/>}: the
 * expert transcripts that SFT and world-model evaluation use. A here-document stays one command with its
 * body; the shebang, comments, blank lines, {@code set -e} and {@code cd /app} (the harness starts there) are
 * left out.
 */
public final class ReferenceAgent {

    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*(['\"]?)(\\w+)\\1");

    private ReferenceAgent() {
    }

    /** The agent turns that replay {@code solution/solve.sh}. */
    public static List<String> turns(Task task) {
        String script;
        try {
            script = Files.readString(task.solutionScript());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> turns = new ArrayList<>();
        List<String> lines = script.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.equals("set -e") || t.equals("cd /app")) {
                continue;
            }
            StringBuilder cmd = new StringBuilder(line);
            Matcher m = HEREDOC.matcher(line);
            if (m.find()) {
                String end = m.group(2);
                while (++i < lines.size()) {
                    cmd.append('\n').append(lines.get(i));
                    if (lines.get(i).strip().equals(end)) {
                        break;
                    }
                }
            }
            turns.add(TurnParser.OPEN + cmd + TurnParser.CLOSE);
        }
        turns.add(TurnParser.DONE);
        return turns;
    }

    /** Runs the reference turns in a fresh episode and returns its transcript (with the verifier's reward). */
    public static Transcript play(Task task, SandboxConfig sandbox, EpisodeLimits limits) {
        try (TerminalEnvironment env = new TerminalEnvironment(task, sandbox, limits)) {
            env.reset();
            for (String turn : turns(task)) {
                if (env.step(turn).done()) {
                    break;
                }
            }
            return env.transcript();
        }
    }
}
