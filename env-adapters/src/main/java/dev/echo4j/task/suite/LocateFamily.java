package dev.echo4j.task.suite;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Find which file mentions a ticket, then move that file: the second command names a file that only the
 * first command's output reveals, so acting well depends on reading the terminal.
 */
final class LocateFamily extends TaskFamily {

    LocateFamily() {
        super("locate", "finding a file by its content, then acting on it");
    }

    @Override
    public TaskSpec generate(SplittableRandom rng) {
        String dir = Sh.pick(rng, List.of("notes", "mail", "docs", "queue"));
        String dest = Sh.pick(rng, List.of("done", "urgent", "keep", "review"));
        String ticket = "T-" + (1000 + rng.nextInt(9000));
        int files = 4 + rng.nextInt(4);
        int target = rng.nextInt(files);
        List<String> names = Sh.distinct(rng, Sh.WORDS, files);
        TaskSpec.Builder b = new TaskSpec.Builder(name()).instruction("Exactly one file in /app/" + dir + " mentions the ticket " + ticket
                + ". Move that file into /app/" + dest + "/ and leave the other files where they are.");
        String found = null;
        for (int i = 0; i < files; i++) {
            String file = names.get(i) + "-" + Sh.token(rng, 3) + ".txt";
            String other = "T-" + (1000 + rng.nextInt(9000));
            String content = Sh.sentence(rng, 3) + " " + (i == target ? ticket : other.equals(ticket) ? "T-0000" : other) + " "
                    + Sh.sentence(rng, 2) + "\n";
            b.appFile(dir + "/" + file, content).testFile("expected/" + file, content);
            if (i == target) {
                found = file;
                b.check("cmp -s /app/" + dest + "/" + file + " /tests/expected/" + file, file + " is not in /app/" + dest + " with its content");
                b.check("[ ! -e /app/" + dir + "/" + file + " ]", file + " is still in /app/" + dir);
            } else {
                b.check("cmp -s /app/" + dir + "/" + file + " /tests/expected/" + file, file + " should have stayed in /app/" + dir);
            }
        }
        b.appFile(dest + "/.keep", "");
        return b.solution("grep -l " + ticket + " /app/" + dir + "/*\nmv /app/" + dir + "/" + found + " /app/" + dest + "/").build();
    }
}
