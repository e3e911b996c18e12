package dev.echo4j.task.suite;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A script fails because a directory is missing; its error message names the path. Repairing it means
 * running the script, reading the error, and creating exactly what it names.
 */
final class RepairFamily extends TaskFamily {

    RepairFamily() {
        super("repair", "fixing what an error message names");
    }

    @Override
    public TaskSpec generate(SplittableRandom rng) {
        String dir = Sh.pick(rng, List.of("cache", "state", "reports", "tmp")) + "/" + Sh.token(rng, 4);
        String file = Sh.pick(rng, List.of("report.txt", "out.log", "summary.txt", "index.txt"));
        String script = "#!/bin/bash\nset -e\necho \"" + Sh.sentence(rng, 3) + "\" > /app/" + dir + "/" + file + "\necho ok\n";
        return new TaskSpec.Builder(name())
                .instruction("`bash /app/run.sh` fails. Read its error and fix the cause without editing run.sh, so that it exits 0.")
                .appFile("run.sh", script.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0755)
                .testFile("run.sh", script)
                .check("cmp -s /app/run.sh /tests/run.sh", "/app/run.sh was edited")
                .check("bash /app/run.sh >/dev/null 2>&1", "bash /app/run.sh still fails")
                .solution("bash /app/run.sh || true\nmkdir -p /app/" + dir)
                .build();
    }
}
