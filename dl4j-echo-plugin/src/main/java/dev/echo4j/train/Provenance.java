package dev.echo4j.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What made a checkpoint, written into its manifest so that a result can be traced to code and libraries: the
 * echo4j version and git commit (with a flag when the working tree had uncommitted changes), the ND4J version and
 * the Java runtime. The commit is read from the checkout the CLI runs from ({@code echo4j.home}); a library user
 * without one gets "unknown".
 */
public final class Provenance {

    private Provenance() {
    }

    /** Adds the {@code echo4j}, {@code nd4j_version} and {@code java} fields to {@code manifest}. */
    public static ObjectNode stamp(ObjectNode manifest) {
        ObjectNode echo4j = manifest.putObject("echo4j");
        echo4j.put("version", mavenVersion("dev.echo4j", "echo4j-plugin"));
        String home = System.getProperty("echo4j.home");
        String commit = home == null ? null : git(Path.of(home), "rev-parse", "HEAD");
        echo4j.put("commit", commit == null ? "unknown" : commit);
        if (commit != null) {
            String status = git(Path.of(home), "status", "--porcelain", "--untracked-files=no");
            echo4j.put("uncommitted_changes", status != null && !status.isBlank());
        }
        manifest.put("nd4j_version", mavenVersion("org.nd4j", "nd4j-api"));
        manifest.put("java", System.getProperty("java.version"));
        return manifest;
    }

    private static String mavenVersion(String group, String artifact) {
        try (InputStream in = Provenance.class.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String git(Path dir, String... args) {
        if (!Files.isDirectory(dir.resolve(".git")) && !Files.isRegularFile(dir.resolve(".git"))) {
            return null;
        }
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
