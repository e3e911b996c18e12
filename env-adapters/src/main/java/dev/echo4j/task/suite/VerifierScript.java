package dev.echo4j.task.suite;

import java.util.ArrayList;
import java.util.List;

/** A tests/test.sh made of checks: the first failing check writes reward 0, all passing write 1. */
final class VerifierScript {

    private final List<String> checks = new ArrayList<>();

    void check(String condition, String failure) {
        checks.add("{ " + condition + " ; } || fail " + Sh.quote(failure));
    }

    String render() {
        StringBuilder s = new StringBuilder("""
                #!/bin/bash
                # Generated verifier: reward 1 when every check holds, else 0.
                mkdir -p /logs/verifier
                fail() { echo "FAIL: $1"; echo 0 > /logs/verifier/reward.txt; exit 0; }
                """);
        for (String c : checks) {
            s.append(c).append('\n');
        }
        return s.append("echo PASS\necho 1 > /logs/verifier/reward.txt\n").toString();
    }
}
