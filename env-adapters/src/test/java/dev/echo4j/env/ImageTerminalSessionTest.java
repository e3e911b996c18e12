package dev.echo4j.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.echo4j.image.Image;
import dev.echo4j.image.ImageBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every containment test of the sandbox (writes outside, network, output flood, hang, orphans, fork bomb, memory
 * cap, host visibility) again, with the shell in a task image instead of the host's system folders; there the shell
 * is the image's root and may write the image, in a layer of its own session only.
 */
class ImageTerminalSessionTest extends TerminalSessionTest {

    private static Image image;

    @BeforeAll
    static void buildImage(@TempDir Path context) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "building images needs root");
        assumeTrue(Files.isExecutable(SandboxConfig.DEFAULT_BWRAP), "needs bubblewrap");
        Files.writeString(context.resolve("Dockerfile"), """
                FROM debian:bookworm-slim
                RUN apt-get update && apt-get install -y --no-install-recommends procps && rm -rf /var/lib/apt/lists/*
                ENV IMAGE_MARK=contained
                WORKDIR /app
                """);
        image = new ImageBuilder(ImageBuilder.defaultCache(), line -> { }).build(context.resolve("Dockerfile"), List.of(), Duration.ofMinutes(10));
    }

    @Override
    TerminalSession open(SandboxConfig config) {
        return TerminalSession.start(work, List.of(), config, Optional.of(image.rootFilesystem()));
    }

    @Test
    void theShellRunsInTheImage() {
        assertEquals("contained\n/app\nbookworm\n", session().run(". /etc/os-release; echo $IMAGE_MARK; pwd; echo $VERSION_CODENAME").output());
    }

    /**
     * The image's root may write its system folders as in a container, and change what the image holds, but only
     * in this session's layer: not in the cached image, not on the host, not in the next session.
     */
    @Override
    @Test
    void systemWritesAreContained() {
        CommandResult r = session().run("id -u; echo $HOME; mkdir -p /usr/local/bin /root/.config /var/lib/probe"
                + " && echo w | tee /etc/echo4j-probe /usr/local/bin/probe /root/.config/probe /var/lib/probe/p >/dev/null"
                + " && rm /etc/os-release && chmod 700 /etc/hostname && echo written");
        assertEquals("0\n/root\nwritten\n", r.output());
        Path layer = session().imageWrites().orElseThrow();
        assertTrue(Files.isRegularFile(layer.resolve("etc/echo4j-probe")), "the writes land in the session's own layer");
        for (String p : List.of("etc/echo4j-probe", "usr/local/bin/probe", "root/.config/probe", "var/lib/probe/p")) {
            assertFalse(Files.exists(image.rootfs().resolve(p)), p + " reached the cached image");
            assertFalse(Files.exists(Path.of("/").resolve(p)), p + " reached the host");
        }
        assertTrue(Files.isRegularFile(image.rootfs().resolve("etc/os-release")), "a file deleted in the session stays in the image");
        try (TerminalSession next = open(SandboxConfig.defaults())) {
            assertEquals("absent\nVERSION_CODENAME=bookworm\n", next.run("cat /etc/echo4j-probe 2>/dev/null || echo absent; grep CODENAME /etc/os-release")
                    .output(), "the next session starts from the image as built");
        }
        session().close();
        assertFalse(Files.exists(layer), "the layer is deleted with its session");
    }

    /** Root in the image holds a container's capabilities only: the hidden /tests cannot be remounted, unmounted or written. */
    @Test
    void theImagesRootCannotRemountItsReadOnlyFolders(@TempDir Path tests) throws Exception {
        Files.writeString(tests.resolve("test.sh"), "exit 0\n");
        Files.setPosixFilePermissions(tests, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TerminalSession s = TerminalSession.start(work, List.of(new Bind(tests, "/tests", false)), SandboxConfig.defaults(),
                Optional.of(image.rootFilesystem()))) {
            CommandResult r = s.run("mount -o remount,rw,bind /tests 2>/dev/null || echo no-remount; umount /tests 2>/dev/null || echo no-umount;"
                    + " { echo x > /tests/test.sh; } 2>/dev/null || echo no-write; unshare -m true 2>/dev/null || echo no-unshare; cat /tests/test.sh");
            assertEquals("no-remount\nno-umount\nno-write\nno-unshare\nexit 0\n", r.output());
        }
        assertEquals("exit 0\n", Files.readString(tests.resolve("test.sh")));
    }
}
