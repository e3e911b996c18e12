package dev.echo4j.task;

import dev.echo4j.env.Bind;
import dev.echo4j.env.CommandResult;
import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.TerminalSession;
import dev.echo4j.image.Image;
import dev.echo4j.image.ImageBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's sandbox for one episode: a fresh host folder ({@code app/} at the working folder with the task's
 * files, {@code logs/} at /logs, {@code tests/} at /tests and {@code solution/} at /solution, read-only and empty
 * until the verifier or the reference solution runs), the terminal session, and the task's setup already run. A
 * task with a Dockerfile runs in its image ({@link ImageBuilder}, built on first use): the image's root read-only,
 * its working folder's files copied into the episode's. The task's [environment] cpus and memory_mb set the
 * sandbox's limits. Closing it kills the session and deletes the folder.
 */
public final class TaskSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskSandbox.class);

    private final Task task;
    private final Path root;
    private final TerminalSession session;
    private final String workdir;

    private TaskSandbox(Task task, Path root, TerminalSession session, String workdir) {
        this.task = task;
        this.root = root;
        this.session = session;
        this.workdir = workdir;
    }

    /** Creates the episode folder, starts the sandbox and runs {@code environment/setup.sh} if the task has one. */
    public static TaskSandbox open(Task task, SandboxConfig config) {
        Optional<Image> image = task.dockerfile().map(f -> image(task));
        Path root;
        try {
            root = Files.createTempDirectory("echo4j-episode-",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
            Path app = Files.createDirectories(root.resolve("app"));
            Files.createDirectories(root.resolve("logs/verifier"));
            Files.createDirectories(root.resolve("logs/agent"));
            Files.createDirectories(root.resolve("tests"));
            Files.createDirectories(root.resolve("solution"));
            if (task.appFiles().isPresent()) {
                Folders.copyTree(task.appFiles().get(), app);
            }
            if (image.isPresent()) {
                Folders.copyTree(image.get().rootfs().resolve(image.get().workdir().substring(1)), app);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the episode folder for task " + task.name(), e);
        }
        TaskEnvironment env = task.environment();
        SandboxConfig limited = config.withResources(env.cpus(), env.memoryMb().isPresent() ? env.memoryMb().getAsLong() << 20 : config.memoryBytes());
        TerminalSession session;
        try {
            session = TerminalSession.start(root.resolve("app"), List.of(
                    new Bind(root.resolve("logs"), "/logs", true),
                    new Bind(root.resolve("tests"), "/tests", false),
                    new Bind(root.resolve("solution"), "/solution", false)), limited, image.map(Image::rootFilesystem));
        } catch (RuntimeException e) {
            deleteQuietly(root);
            throw e;
        }
        TaskSandbox sandbox = new TaskSandbox(task, root, session, image.map(Image::workdir).orElse("/app"));
        if (!task.variables().environment().isEmpty()) {
            // Exported in the persistent shell, whose state carries them to every later command: agent, solution, verifier.
            session.run("export " + TaskVariables.assignments(task.variables().environment()));
        }
        if (task.setupScript().isPresent()) {
            CommandResult r = sandbox.runScript(task.setupScript().get(), task.agentTimeout());
            if (r.exitCode() != 0) {
                sandbox.close();
                String output = r.output().strip();
                LOG.debug("the setup script of {} failed; its output:\n{}", task.name(), output);
                throw new TaskFormatException(task.setupScript().get(), "the setup script failed (exit " + r.exitCode()
                        + (r.timedOut() ? ", timed out" : "") + "); "
                        + (output.isEmpty() ? "it printed nothing" : "its last output line: " + output.substring(output.lastIndexOf('\n') + 1)));
            }
        }
        return sandbox;
    }

    /** The task's image, built now unless it is in the cache (with the verifier's packages). */
    public static Image image(Task task) {
        return new ImageBuilder(ImageBuilder.defaultCache(), line -> { })
                .build(task.dockerfile().orElseThrow(), task.scriptPackages(), task.environment().buildTimeout());
    }

    /** Runs a host script file inside the sandbox with bash, in the working folder, without touching the agent's shell state. */
    public CommandResult runScript(Path script, java.time.Duration timeout) {
        String body;
        try {
            body = Files.readString(script);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + script, e);
        }
        String end = "ECHO4J_SCRIPT_" + Long.toHexString(System.nanoTime());
        return session.run("cd " + TaskVariables.quote(workdir) + " && bash <<'" + end + "'\n" + body + (body.endsWith("\n") ? "" : "\n") + end, timeout);
    }

    /**
     * Runs the task's reference solution as Harbor does ({@code solution/} at /solution, {@code bash /solution/solve.sh}),
     * its package installs dropped ({@link OfflineScript}: the image has those packages).
     */
    public CommandResult runSolution() {
        Path script = task.solutionScript();
        Folders.copyTree(script.getParent(), root.resolve("solution"));
        OfflineScript offline = task.offlineSolution().orElseThrow();
        if (!offline.rewritten().isEmpty()) {
            try {
                Files.writeString(root.resolve("solution/solve.sh"), offline.script());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the offline solve.sh of task " + task.name(), e);
            }
            LOG.info("task {}: solution/solve.sh rewritten to run offline: {}", task.name(), String.join("; ", offline.rewritten()));
        }
        return session.run("cd " + TaskVariables.quote(workdir) + " && " + TaskVariables.assignments(task.variables().solution())
                + "bash /solution/solve.sh", task.agentTimeout());
    }

    public VerifierResult verify() {
        return Verifier.verify(task, session, workdir, root.resolve("tests"), root.resolve("logs/verifier"));
    }

    public TerminalSession session() {
        return session;
    }

    public Task task() {
        return task;
    }

    /** Where the agent's shell starts: the image's WORKDIR, /app without an image. */
    public String workdir() {
        return workdir;
    }

    /** The host folder seen as the working folder. */
    public Path appDir() {
        return root.resolve("app");
    }

    @Override
    public void close() {
        session.close();
        deleteQuietly(root);
    }


    private static void deleteQuietly(Path root) {
        try {
            Folders.deleteTree(root);
        } catch (UncheckedIOException e) {
            LOG.warn("could not delete episode folder {}: {}", root, e.getMessage());
        }
    }
}
