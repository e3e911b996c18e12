package dev.echo4j.task.suite;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Read a value from a file and act with it: the directory to create is named only in the file, so the
 * command that solves the task copies what an earlier command printed.
 */
final class ReadValueFamily extends TaskFamily {

    ReadValueFamily() {
        super("read-value", "using a value the terminal printed");
    }

    @Override
    public TaskSpec generate(SplittableRandom rng) {
        String key = Sh.pick(rng, List.of("owner", "project", "release", "team"));
        String value = Sh.pick(rng, Sh.WORDS) + "-" + Sh.token(rng, 3);
        String parent = Sh.pick(rng, List.of("home", "work", "builds", "out"));
        String conf = Sh.pick(rng, List.of("app.conf", "service.env", "setup.cfg"));
        StringBuilder text = new StringBuilder();
        List<String> keys = Sh.distinct(rng, List.of("mode", "region", "level", "tier", "zone"), 2);
        text.append(keys.get(0)).append('=').append(Sh.pick(rng, Sh.WORDS)).append('\n');
        text.append(key).append('=').append(value).append('\n');
        text.append(keys.get(1)).append('=').append(Sh.pick(rng, Sh.WORDS)).append('\n');
        return new TaskSpec.Builder(name())
                .instruction("/app/" + conf + " sets `" + key + "`. Create the directory /app/" + parent + "/<" + key
                        + "> named after its value, and nothing else in /app/" + parent + ".")
                .appFile(conf, text.toString())
                .appFile(parent + "/.keep", "")
                .check("[ -d /app/" + parent + "/" + value + " ]", "/app/" + parent + "/" + value + " is not a directory")
                .check("[ \"$(ls /app/" + parent + " | wc -l)\" = 1 ]", "/app/" + parent + " holds more than the one directory")
                .solution("cat /app/" + conf + "\nmkdir -p /app/" + parent + "/" + value)
                .build();
    }
}
