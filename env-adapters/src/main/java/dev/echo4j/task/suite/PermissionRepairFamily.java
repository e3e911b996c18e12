package dev.echo4j.task.suite;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Held out: a script fails because a helper it calls is not executable; the error message names the helper.
 * It recombines skills the training families teach (running a script and reading its error, chmod) in a
 * task never trained on.
 */
final class PermissionRepairFamily extends TaskFamily {

    PermissionRepairFamily() {
        super("repair-permission", "fixing a permission an error message names");
    }

    @Override
    public TaskSpec generate(SplittableRandom rng) {
        List<String> names = Sh.distinct(rng, Sh.WORDS, 3 + rng.nextInt(2));
        int broken = rng.nextInt(names.size());
        StringBuilder run = new StringBuilder("#!/bin/bash\nset -e\n");
        TaskSpec.Builder b = new TaskSpec.Builder(name());
        String brokenPath = null;
        for (int i = 0; i < names.size(); i++) {
            String path = "bin/" + names.get(i) + "-" + Sh.token(rng, 3) + ".sh";
            run.append("/app/").append(path).append('\n');
            b.appFile(path, ("#!/bin/bash\necho " + names.get(i) + " done\n").getBytes(StandardCharsets.UTF_8), i == broken ? 0644 : 0755);
            if (i == broken) {
                brokenPath = "/app/" + path;
            }
        }
        String script = run.append("echo ok\n").toString();
        return b.instruction("`bash /app/run.sh` fails. Read its error and fix the cause without editing run.sh, so that it exits 0.")
                .appFile("run.sh", script.getBytes(StandardCharsets.UTF_8), 0755)
                .testFile("run.sh", script)
                .check("cmp -s /app/run.sh /tests/run.sh", "/app/run.sh was edited")
                .check("bash /app/run.sh >/dev/null 2>&1", "bash /app/run.sh still fails")
                .solution("bash /app/run.sh || true\nchmod +x " + brokenPath)
                .build();
    }
}
