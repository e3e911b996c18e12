package dev.echo4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.task.TaskFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRecipeTest {

    @TempDir
    Path dir;

    @Test
    void continuationsCommentsHeredocsAndVariablesAreReadAsDockerReadsThem() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("Dockerfile"), """
                # syntax=docker/dockerfile:1
                ARG BASE=24.04
                FROM ubuntu:${BASE}
                ENV APP_HOME=/srv/app \\
                    GREETING="hello world"
                ENV LEGACY value with spaces
                RUN apt-get update && \\
                    # dropped, as Docker drops it
                    apt-get install -y jq
                RUN <<EOF
                echo one
                echo two
                EOF
                WORKDIR $APP_HOME
                RUN cat > /etc/app.yml << 'END'
                name: CI
                END
                COPY ["a.txt", "b/"]
                COPY src/ ./src
                CMD ["bash"]
                """);
        ImageRecipe r = ImageRecipe.of(dir.resolve("Dockerfile"));
        assertEquals("trixie", r.base().suite());
        assertTrue(r.base().note().contains("stands in for ubuntu:24.04"), r.base().note());
        assertEquals("/srv/app", r.workdir());
        assertEquals(Map.of("APP_HOME", "/srv/app", "GREETING", "hello world", "LEGACY", "value with spaces"), r.env());
        List<String> steps = r.steps().stream().map(BuildStep::description).toList();
        assertEquals(List.of("RUN apt-get update && apt-get install -y jq", "RUN echo one echo two", "WORKDIR /srv/app",
                "RUN cat > /etc/app.yml << 'END' name: CI END", "COPY a.txt /srv/app/b", "COPY src/ /srv/app/src"), steps);
        assertEquals("cat > /etc/app.yml << 'END'\nname: CI\nEND", r.steps().get(3).script());
        assertEquals(7, r.steps().get(0).line());
        assertEquals("echo one\necho two\n", r.steps().get(1).script());
        assertEquals(List.of("line 20: CMD ignored"), r.notes());
    }

    /** bn-fit-modify keeps its download's URL in an ARG: it failed on the network after the apt-get step instead of being refused. */
    @Test
    void aDownloadFromAUrlInAnArgIsRefusedBeforeTheBuild() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), """
                FROM ubuntu:24.04
                WORKDIR /app
                ARG BN_URL=https://raw.githubusercontent.com/example/data/main/sample.csv
                RUN curl -fsSL "${BN_URL}" -o sample.csv
                """);
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> ImageRecipe.of(dir.resolve("Dockerfile")));
        assertEquals(dir.resolve("Dockerfile") + ": line 4: RUN needs the network at build time (curl/wget download); echo4j builds offline"
                + " images from Debian packages and local files only", e.getMessage());
    }

    /** fix-git's Dockerfile runs a setup.sh of its build context that clones a repository from GitHub. */
    @Test
    void aRunOfAContextScriptThatNeedsTheNetworkIsRefusedBeforeTheBuild() throws Exception {
        Files.writeString(dir.resolve("setup.sh"), "git config --global user.name T\ngit clone https://github.com/example/site.git\n");
        Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(dir.resolve("scripts/offline.sh"), "mkdir -p /app/data\n");
        Files.writeString(dir.resolve("Dockerfile"), """
                FROM python:3.13-slim-bookworm
                WORKDIR /app
                COPY scripts /opt/scripts
                RUN bash /opt/scripts/offline.sh && sh ../opt/scripts/offline.sh
                COPY setup.sh ./
                RUN bash /app/setup.sh
                """);
        TaskFormatException e = assertThrows(TaskFormatException.class, () -> ImageRecipe.of(dir.resolve("Dockerfile")));
        assertEquals(dir.resolve("Dockerfile") + ": line 6: RUN needs the network at build time (git clone in setup.sh); echo4j builds offline"
                + " images from Debian packages and local files only", e.getMessage());
    }

    @Test
    void namedPipInstallsComeFromDebian() {
        PipInstall.Translation t = PipInstall.translate("apt-get update && pip3 install --no-cache-dir --break-system-packages pytest==8.4.1"
                + " pandas==2.3.2 scikit-learn PyYAML && python3 -m pip install --upgrade pip && echo done");
        assertEquals("apt-get update && { apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-pandas python3-sklearn"
                + " python3-yaml; } && true && echo done", t.command());
        assertEquals(List.of("python3-pandas", "python3-sklearn", "python3-yaml"), t.packages());
    }

    /** Python 3.13 has no setuptools: feal-differential-cryptanalysis installs it to build its tests' C extension. */
    @Test
    void setuptoolsAndWheelAreInstalledFromDebian() {
        PipInstall.Translation t = PipInstall.translate("pip install setuptools==80.9.0 wheel pip");
        assertEquals(List.of("python3-setuptools", "python3-wheel"), t.packages());
    }

    /** Docker's python images have Python's C headers: portfolio-optimization's solution compiles an extension against Python.h. */
    @Test
    void pythonImagesHaveThePythonHeaders() {
        assertTrue(BaseImage.of("python:3.13-slim-bookworm").orElseThrow().packages().contains("python3-dev"));
        assertFalse(BaseImage.of("ubuntu:24.04").orElseThrow().packages().contains("python3-dev"), "ubuntu has no Python of its own");
    }

    @Test
    void baseImagesMapToTheClosestDebianRelease() {
        assertEquals("bookworm", BaseImage.of("debian:bookworm-slim").orElseThrow().suite());
        assertEquals("bookworm", BaseImage.of("ubuntu:22.04").orElseThrow().suite());
        assertEquals("trixie", BaseImage.of("docker.io/library/ubuntu:24.04").orElseThrow().suite());
        assertEquals("trixie", BaseImage.of("python:3.13-slim-bookworm").orElseThrow().suite(), "Python 3.13 only trixie has");
        assertEquals("trixie", BaseImage.of("python:3.12-slim").orElseThrow().suite());
        assertEquals("bookworm", BaseImage.of("python:3.11").orElseThrow().suite());
        assertTrue(BaseImage.of("python:3.12-alpine").isEmpty());
        assertTrue(BaseImage.of("golang:1.22").isEmpty());
        assertEquals("trixie", BaseImage.of("ghcr.io/laude-institute/t-bench/ubuntu-24-04:20250624").orElseThrow().suite());
        assertEquals("trixie", BaseImage.of("ghcr.io/laude-institute/t-bench/python-3-13:20250620").orElseThrow().suite());
    }
}
