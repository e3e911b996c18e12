package dev.echo4j.cli;

import static dev.echo4j.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} works on every command and subcommand, whatever parameters the command otherwise requires. */
class HelpCliTest {

    @Test
    void everyCommandPrintsItsUsageOnHelp() {
        Set<List<String>> paths = new LinkedHashSet<>();
        collect(new CommandLine(new EchoCli()), new ArrayList<>(), paths);
        assertTrue(paths.size() > 20, "the walk reaches the subcommands: " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            String[] r = run(args.toArray(String[]::new));
            String name = String.join(" ", path);
            assertEquals("0", r[0], "echo4j " + name + " --help exits 0");
            String usage = "Usage: echo4j" + (path.isEmpty() ? "" : " " + name);
            assertTrue(r[1].lines().anyMatch(l -> l.startsWith(usage)), "echo4j " + name + " --help: " + r[1]);
        }
    }

    /** The argument paths of this command and of every subcommand below it (aliases are the same command). */
    private static void collect(CommandLine command, List<String> path, Set<List<String>> into) {
        into.add(List.copyOf(path));
        for (CommandLine sub : new LinkedHashSet<>(command.getSubcommands().values())) {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getCommandName());
            collect(sub, subPath, into);
        }
    }
}
