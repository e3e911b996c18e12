package dev.echo4j.env;

import dev.echo4j.transcript.Segment;
import dev.echo4j.transcript.TokenRole;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the agent sees after a turn, in the paper's format, split into terminal output and harness notes:
 * <pre>
 * WARNINGS:                                   } harness notes (role 3), only when there are any
 * - ...                                       }
 *
 * Command 'ls' executed successfully. Output: } terminal (role 2): the status line, the output
 * a.txt                                       }   (an omission note inside it is role 3)
 * (exit_code=0)                               } and the exit code
 * </pre>
 * The status line and exit code are terminal text because they report what the command did, which a
 * world model should predict; everything the harness says about the turn itself is a warning.
 */
public record Observation(List<Segment> segments) {

    public Observation {
        segments = List.copyOf(segments);
    }

    public String text() {
        return segments.stream().map(Segment::text).collect(Collectors.joining());
    }

    /** The text of the segments of one role, concatenated. */
    public String text(TokenRole role) {
        return segments.stream().filter(s -> s.role() == role).map(Segment::text).collect(Collectors.joining());
    }

    /** Only warnings: nothing ran. */
    public static Observation warningsOnly(List<String> warnings) {
        return new Observation(List.of(Segment.warning(warningsBlock(warnings))));
    }

    /** A command's result, with any warnings about the turn or the run first. */
    public static Observation ofCommand(String command, CommandResult r, List<String> turnWarnings) {
        List<String> warnings = new ArrayList<>(turnWarnings);
        if (r.timedOut()) {
            warnings.add("the command ran past its timeout and was killed with its child processes");
        }
        if (r.truncated()) {
            warnings.add("the output was too long: " + r.omittedBytes() + " bytes in the middle were omitted");
        }
        List<Segment> s = new ArrayList<>();
        if (!warnings.isEmpty()) {
            s.add(Segment.warning(warningsBlock(warnings) + "\n"));
        }
        s.add(Segment.env("Command '" + command + "' " + (r.exitCode() == 0 ? "executed successfully" : "failed") + ". Output:\n" + r.head()));
        if (r.truncated()) {
            s.add(Segment.warning(r.omissionNote()));
            s.add(Segment.env(r.tail()));
        }
        String out = r.output();
        s.add(Segment.env((out.isEmpty() || out.endsWith("\n") ? "" : "\n") + "(exit_code=" + r.exitCode() + ")"));
        return new Observation(s);
    }

    private static String warningsBlock(List<String> warnings) {
        return "WARNINGS:\n" + warnings.stream().map(w -> "- " + w + "\n").collect(Collectors.joining());
    }
}
