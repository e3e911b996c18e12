package dev.echo4j.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineScriptTest {

    /** The verifier boilerplate of the published Terminal-Bench 2 tasks. */
    private static final String TB2 = """
            #!/bin/bash
            apt-get update
            apt-get install -y curl jq
            curl -LsSf https://astral.sh/uv/0.9.5/install.sh | sh
            source $HOME/.local/bin/env
            if [ "$PWD" = "/" ]; then
                echo "Error: No working directory set."
                exit 1
            fi
            uvx \\
              -p 3.13 \\
              -w pytest==8.4.1 \\
              -w pytest-json-ctrf==0.3.5 \\
              -w requests==2.32.3 \\
              pytest --ctrf /logs/verifier/ctrf.json /tests/test_outputs.py -rA
            if [ $? -eq 0 ]; then
              echo 1 > /logs/verifier/reward.txt
            else
              echo 0 > /logs/verifier/reward.txt
            fi
            """;

    @Test
    void theBoilerplateRunsTheSameTestsWithTheImagesPytest() {
        OfflineScript s = OfflineScript.of(TB2);
        assertTrue(s.script().contains("\npytest-3 -p no:cacheprovider /tests/test_outputs.py -rA\n"), s.script());
        assertFalse(s.script().contains("curl"), s.script());
        assertFalse(s.script().contains("uvx"), s.script());
        assertFalse(s.script().contains("apt-get"), s.script());
        assertTrue(s.script().contains("if [ $? -eq 0 ]; then\n  echo 1 > /logs/verifier/reward.txt"), "the scoring is kept as it is");
        assertTrue(s.script().contains("if [ \"$PWD\" = \"/\" ]; then"), "so is every other line");
        assertEquals(List.of("jq", "python3-requests"), s.packages(), "apt-get installs and uvx dependencies go into the image");
        assertEquals(5, s.rewritten().size(), String.join("\n", s.rewritten()));
    }

    @Test
    void aSolutionsPackageInstallsMoveIntoTheImage() {
        OfflineScript s = OfflineScript.of("set -euo pipefail\napt-get update && apt-get install -y grep jq\npip install pyyaml==6.0\njq --version\n");
        assertEquals("set -euo pipefail\n: echo4j-offline\n: echo4j-offline\njq --version\n", s.script());
        assertEquals(List.of("grep", "jq", "python3-yaml"), s.packages());
    }

    @Test
    void aScriptWithoutTheBoilerplateIsLeftAsItIs() {
        String own = "grep -qx hello /app/out.txt && echo 1 > /logs/verifier/reward.txt || echo 0 > /logs/verifier/reward.txt\n";
        OfflineScript s = OfflineScript.of(own);
        assertEquals(own, s.script());
        assertTrue(s.rewritten().isEmpty());
        assertTrue(s.packages().isEmpty());
    }

    /** pypi-server's solution (under set -e) runs apt-get after a variable assignment; left in, its apt-get update failed offline. */
    @Test
    void anAptGetAfterVariableAssignmentsIsDropped() {
        OfflineScript s = OfflineScript.of("set -e\nDEBIAN_FRONTEND=noninteractive apt-get update\n"
                + "DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv apache2-utils\n");
        assertEquals("set -e\n: echo4j-offline\n: echo4j-offline\n", s.script());
        assertEquals(List.of("python3-venv", "apache2-utils"), s.packages());
    }

    @Test
    void anAptInstallsPackagesEndWhereItsCommandEnds() {
        OfflineScript s = OfflineScript.of("apt-get install -y --no-install-recommends r-base=4.3.3-2build2 && break\n"
                + "apt-get install -y imagemagick; rm -rf /var/lib/apt/lists/*\n");
        assertEquals(List.of("r-base", "imagemagick"), s.packages(), "neither 'break' nor 'rm' is a package");
    }

    /** adaptive-rejection-sampler's solution installs R inside an if, which stays as it is; R goes into the image all the same. */
    @Test
    void anAptInstallInsideACompoundCommandPutsItsPackagesInTheImage() {
        String own = "if ! command -v Rscript; then\n  if apt-get update -qq && apt-get install -y r-base-core=4.3.3-2build2; then\n    echo ok\n  fi\nfi\n";
        OfflineScript s = OfflineScript.of(own);
        assertEquals(own, s.script());
        assertEquals(List.of("r-base-core"), s.packages());
    }

    /** The verifiers of Terminal-Bench 2's python images: pip installs pytest and its ctrf plugin, then runs pytest itself. */
    @Test
    void pytestRunDirectlyLosesItsCtrfReport() {
        OfflineScript s = OfflineScript.of("pip install pytest==8.4.1 pytest-json-ctrf==0.3.5 --break-system-packages\n"
                + "python -m pytest --ctrf /logs/verifier/ctrf.json /tests/test_outputs.py -rA\n"
                + "  pytest --ctrf /logs/verifier/ctrf.json /tests/test_more.py\n");
        assertEquals(": echo4j-offline\npython3 -m pytest -p no:cacheprovider /tests/test_outputs.py -rA\n"
                + "  pytest-3 -p no:cacheprovider /tests/test_more.py\n", s.script());
    }

    /**
     * largest-eigenval's verifier runs {@code python -m pytest} from /app, and its tests import the solution's /app/eigen.py:
     * the rewritten command must keep the working folder on Python's path, as a module run does (pytest-3 does not).
     */
    @Test
    void aModuleRunOfPytestStaysAModuleRun(@TempDir Path dir) throws Exception {
        assumeTrue(new ProcessBuilder("python3", "-m", "pytest", "--version").start().waitFor() == 0, "needs python3 with pytest");
        Files.writeString(dir.resolve("eigen.py"), "VALUE = 42\n");
        Path tests = Files.createDirectory(dir.resolve("tests"));
        Files.writeString(tests.resolve("test_outputs.py"), "from eigen import VALUE\n\ndef test_value():\n    assert VALUE == 42\n");
        OfflineScript s = OfflineScript.of("python -m pytest --ctrf /logs/verifier/ctrf.json " + tests.resolve("test_outputs.py") + " -rA\n");
        Process p = new ProcessBuilder("bash", "-c", s.script()).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("1 passed"), output);
    }

    /** mailman's verifier makes a uv virtual environment, activates it and installs into it. */
    @Test
    void aUvVirtualEnvironmentIsNeitherMadeNorActivated() {
        OfflineScript s = OfflineScript.of("uv venv -p 3.12 .tb\n\nsource .tb/bin/activate\nuv pip install pytest==8.4.1 mailman==3.3.8\n"
                + "uv run pytest --ctrf /logs/verifier/ctrf.json /tests/test_outputs.py -rA\n");
        assertEquals(": echo4j-offline\n\n: echo4j-offline\n: echo4j-offline\npytest-3 -p no:cacheprovider /tests/test_outputs.py -rA\n",
                s.script());
        assertEquals(List.of("mailman3"), s.packages());
    }

    @Test
    void aSolutionsOwnVirtualEnvironmentIsKept() {
        String own = "python3 -m venv /opt/v\nsource /opt/v/bin/activate\n";
        assertEquals(own, OfflineScript.of(own).script());
    }
}
