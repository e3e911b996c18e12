package dev.echo4j.env;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistent bash for one episode, inside a bubblewrap sandbox: the working folder read-write at
 * {@code /app}, the system read-only, a private {@code /tmp}, no network, its own PID namespace. In a task
 * image the shell is instead the image's root (with a container's capabilities), the image writable through a
 * layer discarded at close, the working folder at the image's WORKDIR; the rest is the same.
 *
 * <p>Protocol: every command runs in a fresh subshell of the persistent bash (its own CPU, memory and
 * process caps; {@code exit} or {@code set -e} cannot kill the session). The subshell restores the shell
 * state the previous command left (variables, functions, aliases, options, umask, working directory), runs the
 * command with stdout and stderr merged in order, saves the state on exit, and the persistent bash then
 * prints a random marker, the command's number and the exit code. One write and one read per command over
 * pipes: no process is started per command, which keeps the round trip to a millisecond or two.
 *
 * <p>A timeout kills the command's whole process tree (found from the host: the subshell's descendants
 * plus any process tagged with the command's {@code ECHO4J_COMMAND} number, which catches {@code setsid}
 * and double-forked children); the session stays usable. {@link #close()} kills everything in the sandbox.
 * One command at a time per session; distinct sessions run in parallel.
 */
public final class TerminalSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalSession.class);
    private static final int NOBODY = RootFilesystem.STORED_ROOT_UID;
    /**
     * What the sandbox's root may do in a task image: Docker's default capabilities, so that it can own, chmod and
     * signal as a container's root, but not mount, remount the hidden /tests read-write, or trace.
     */
    private static final List<String> CONTAINER_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE",
            "CAP_SETFCAP");
    private static final String STATE_FILE = "/run/echo4j/state";
    private static final List<String> SYSTEM_DIRS = List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt");
    /**
     * Names of the variables not to carry over: bash's own (restoring BASH_ARGV or BASH_VERSINFO kills a
     * subshell) and per-process ones. The list comes from {@code compgen -v -X}, written to a file and read
     * back with {@code mapfile}, so that saving state forks nothing.
     */
    private static final String NOT_SAVED = "@(BASH*|FUNCNAME|GROUPS|PIPESTATUS|DIRSTACK|RANDOM|SRANDOM|SECONDS|LINENO|HISTCMD"
            + "|EPOCHREALTIME|EPOCHSECONDS|EUID|PPID|UID|SHELLOPTS|_|__e4j_*)";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);
    /**
     * The shell starts in a session of its own: a terminal's Ctrl-C goes to the whole foreground process group,
     * and must reach the trainer (which finishes its step) without killing the step's sandboxes. The sandbox
     * still dies with the JVM (bubblewrap's --die-with-parent; the plain shell on its closed stdin).
     */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final SandboxConfig config;
    private final Path workDir;
    private final Process process;
    private final OutputStream stdin;
    private final byte[] marker;
    private final String heredocEnd;
    private final String stateFile;
    private final Object lock = new Object();
    private final String ulimits;
    private final String restore;
    private final String save;
    private final boolean processCapEnforced;
    private OutputCollector collector;
    private CompletableFuture<CommandResult> pending;
    /** The number of the command whose marker completes {@link #pending}. */
    private long pendingNumber;
    private long commandNumber;
    private long commandStartNanos;
    private volatile boolean closed;
    private Path localStateDir;
    private volatile Optional<ProcessHandle> shell;
    private WritableRoot writableRoot;
    private final java.util.ArrayDeque<String> shellStderr = new java.util.ArrayDeque<>();

    private TerminalSession(SandboxConfig config, Path workDir, Process process, String nonce, String stateFile,
                            boolean processCapEnforced) {
        this.config = config;
        this.workDir = workDir;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.marker = ("\u0001E4J" + nonce + ":").getBytes(StandardCharsets.US_ASCII);
        this.heredocEnd = "E4J_" + nonce + "_END";
        this.stateFile = stateFile;
        this.processCapEnforced = processCapEnforced;
        this.ulimits = " -d " + (config.memoryBytes() / 1024) + (processCapEnforced ? " -u " + config.maxProcesses() : "");
        this.restore = ". " + stateFile + ".vars 2>/dev/null; . " + stateFile + ".shell 2>/dev/null";
        this.save = saveScript(stateFile);
    }

    /** Starts a sandboxed shell with {@code workDir} at {@code /app} and the extra binds (e.g. /logs, /tests). */
    public static TerminalSession start(Path workDir, List<Bind> binds, SandboxConfig config) {
        return start(workDir, binds, config, java.util.Optional.empty());
    }

    /**
     * Starts a sandboxed shell; with an {@code image}, its root replaces the host's system folders and
     * {@code workDir} is mounted at the image's working folder, where the shell starts. The shell is then the
     * image's root, and the image is writable through a layer of this session's own ({@link WritableRoot}).
     */
    public static TerminalSession start(Path workDir, List<Bind> binds, SandboxConfig config, Optional<RootFilesystem> image) {
        Path work = workDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(work)) {
            throw new IllegalArgumentException("working folder " + work + " does not exist or is not a folder");
        }
        byte[] nonceBytes = new byte[8];
        RANDOM.nextBytes(nonceBytes);
        String nonce = HexFormat.of().formatHex(nonceBytes);
        boolean dropRoot = config.backend() == SandboxBackend.BUBBLEWRAP && runningAsRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv"));
        List<String> cmd = new ArrayList<>();
        Path localStateDir = null;
        String stateFile;
        WritableRoot layer = null;
        if (config.backend() == SandboxBackend.BUBBLEWRAP) {
            if (!Files.isExecutable(config.bwrapPath())) {
                throw new SandboxUnavailableException("bubblewrap not found at " + config.bwrapPath()
                        + ": the terminal sandbox needs it. Install it (Debian/Ubuntu: sudo apt-get install -y bubblewrap;"
                        + " Fedora: sudo dnf install bubblewrap) or point the sandbox at it; to run commands unsandboxed on"
                        + " this machine instead, opt in explicitly with --unsandboxed (backend UNSANDBOXED_LOCAL).");
            }
            if (dropRoot) {
                requireReachable(work);
                binds.forEach(b -> requireReachable(b.host().toAbsolutePath().normalize()));
                chownTree(work, NOBODY);
                for (Bind b : binds) {
                    if (b.writable()) {
                        chownTree(b.host(), NOBODY);
                    }
                }
                cmd.addAll(List.of("/usr/bin/setpriv", "--reuid", "" + NOBODY, "--regid", "" + NOBODY, "--clear-groups"));
            }
            if (image.isPresent()) {
                requireReachable(image.get().root().toAbsolutePath().normalize());
                layer = WritableRoot.over(image.get().root(), dropRoot ? NOBODY : null);
                requireReachable(layer.merged());
                cmd.addAll(layer.mountCommand());
            }
            cmd.addAll(bwrapArgs(config.bwrapPath(), work, binds, image, layer));
            stateFile = STATE_FILE;
        } else {
            LOG.warn("UNSANDBOXED terminal session in {}: commands run directly on this machine with no isolation"
                    + " (no /app, /logs or /tests mapping, network reachable). Use bubblewrap for anything but local debugging.", work);
            try {
                localStateDir = Files.createTempDirectory("echo4j-shell-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stateFile = localStateDir.resolve("state").toString();
            cmd.addAll(List.of("bash", "--noprofile", "--norc"));
        }
        if (Files.isExecutable(SETSID)) {
            cmd.add(0, SETSID.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().remove("LD_PRELOAD");   // the launcher preloads tcmalloc for the JVM, not for the task's shell
        Process p;
        try {
            p = start(pb, cmd.get(0));
        } catch (RuntimeException e) {
            if (layer != null) {
                layer.delete();
            }
            throw e;
        }
        // RLIMIT_NPROC counts per user namespace, but root (the host's uid 0) is exempt from it.
        boolean processCap = config.backend() == SandboxBackend.BUBBLEWRAP && (dropRoot || !runningAsRoot());
        if (config.backend() == SandboxBackend.BUBBLEWRAP && !processCap) {
            LOG.warn("running as root without /usr/bin/setpriv: the sandbox keeps uid 0, so the process cap ({}) is not enforced",
                    config.maxProcesses());
        }
        TerminalSession s = new TerminalSession(config, work, p, nonce, stateFile, processCap);
        s.localStateDir = localStateDir;
        s.writableRoot = layer;
        s.startReaders();
        try {
            CommandResult hello = s.run("true", Duration.ofSeconds(20));
            if (hello.exitCode() != 0) {
                throw new SandboxUnavailableException("the sandboxed shell did not start cleanly (exit " + hello.exitCode() + "): " + hello.output());
            }
            s.mainShell();
        } catch (RuntimeException e) {
            s.close();
            throw e instanceof SandboxUnavailableException ? e
                    : new SandboxUnavailableException("the sandboxed shell did not start: " + e.getMessage() + "; it said: "
                            + s.shellStderrTail() + " (command: " + String.join(" ", cmd) + ")", e);
        }
        return s;
    }

    private static List<String> bwrapArgs(Path bwrap, Path work, List<Bind> binds, Optional<RootFilesystem> image, WritableRoot layer) {
        List<String> a = new ArrayList<>(List.of(bwrap.toString(), "--unshare-all", "--die-with-parent", "--new-session",
                "--hostname", "sandbox"));
        String workdir = image.map(RootFilesystem::workdir).orElse("/app");
        if (layer != null) {
            a.addAll(List.of("--bind", layer.merged().toString(), "/", "--cap-drop", "ALL"));
            CONTAINER_CAPS.forEach(c -> a.addAll(List.of("--cap-add", c)));
        } else {
            for (String d : SYSTEM_DIRS) {
                Path host = Path.of("/", d);
                if (Files.isSymbolicLink(host) || Files.isDirectory(host)) {
                    systemEntry(a, host, host.toString());
                }
            }
        }
        a.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/run", "--dir", "/run/echo4j",
                "--bind", work.toString(), workdir));
        for (Bind b : binds) {
            a.addAll(List.of(b.writable() ? "--bind" : "--ro-bind", b.host().toAbsolutePath().toString(), b.target()));
        }
        if (layer == null) {
            a.add("--remount-ro");
            a.add("/");
        }
        a.addAll(List.of("--chdir", workdir, "--clearenv"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LANG", "C.UTF-8");
        image.ifPresent(i -> env.putAll(i.env()));
        env.put("HOME", image.isPresent() ? "/root" : "/tmp");
        env.put("TERM", "dumb");
        env.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
        a.addAll(List.of("--", "/bin/bash", "--noprofile", "--norc"));
        return a;
    }

    /** A system folder (or file) seen read-only at {@code target}; a symbolic link (merged /usr) stays a link. */
    private static void systemEntry(List<String> args, Path source, String target) {
        if (Files.isSymbolicLink(source)) {
            try {
                args.addAll(List.of("--symlink", Files.readSymbolicLink(source).toString(), target));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            args.addAll(List.of("--ro-bind", source.toString(), target));
        }
    }

    private void startReaders() {
        collector = new OutputCollector(marker, config.maxOutputBytes());
        Thread out = new Thread(() -> pump(process.getInputStream()), "echo4j-shell-out-" + process.pid());
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(() -> drainShellStderr(process.getErrorStream()), "echo4j-shell-err-" + process.pid());
        err.setDaemon(true);
        err.start();
    }

    /**
     * Reads the shell's output and completes the waiting command at its own end marker. A caller that stopped
     * waiting (interrupted) leaves its command to end later, while the next command is already waiting: the
     * numbers keep that late marker, and the output before it, from being taken as the next command's result.
     * A marker is looked for at every line end, not only at the end of a read, since one read can hold a
     * marker and the next command's output after it.
     */
    private void pump(InputStream in) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (lock) {
                    int from = 0;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            collector.append(buf, from, i + 1 - from);
                            from = i + 1;
                            OutputCollector.End end = collector.end();
                            if (end != null) {
                                endCommand(end);
                            }
                        }
                    }
                    collector.append(buf, from, n - from);
                }
            }
        } catch (IOException e) {
            LOG.debug("shell output closed: {}", e.getMessage());
        }
        synchronized (lock) {
            if (pending != null) {
                pending.completeExceptionally(new IllegalStateException(closed ? "the terminal session was closed"
                        : shell != null ? "the shell was killed (by the command or from outside); the session has ended"
                        : "the sandboxed shell exited at start-up; is bubblewrap allowed to create namespaces here?"));
                pending = null;
            }
        }
    }

    /** Completes the waiting command if this marker is its own, drops the output of an abandoned one. Holds the lock. */
    private void endCommand(OutputCollector.End end) {
        if (pending != null && end.command() == pendingNumber) {
            OutputCollector.CommandResultParts parts = collector.parts();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - commandStartNanos);
            pending.complete(new CommandResult(parts.head(), parts.tail(), parts.omittedBytes(), end.exitCode(), false, elapsed));
            pending = null;
        } else {
            LOG.debug("dropped the output of command {}, which no caller waits for any more", end.command());
        }
        collector = new OutputCollector(marker, config.maxOutputBytes());
    }

    private void drainShellStderr(InputStream err) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(err, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                LOG.debug("shell stderr: {}", line);
                synchronized (shellStderr) {
                    shellStderr.addLast(line);
                    if (shellStderr.size() > 20) {
                        shellStderr.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the shell is gone; nothing left to report
        }
    }

    /** The last lines the sandbox itself wrote to stderr (bubblewrap's own errors land here). */
    private String shellStderrTail() {
        try {
            process.waitFor(200, TimeUnit.MILLISECONDS);
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (shellStderr) {
            return String.join("\n", shellStderr);
        }
    }

    /** Runs one command with the configured timeout. */
    public CommandResult run(String command) {
        return run(command, config.commandTimeout());
    }

    /**
     * Runs one command and waits for it, at most {@code timeout}; then its process tree is killed and the
     * result says {@code timedOut}. Thread-safe: concurrent callers on one session are served in turn.
     */
    public synchronized CommandResult run(String command, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("terminal session is closed");
        }
        CompletableFuture<CommandResult> done = new CompletableFuture<>();
        long n;
        synchronized (lock) {
            n = ++commandNumber;
            pending = done;
            pendingNumber = n;
            commandStartNanos = System.nanoTime();
        }
        try {
            stdin.write(script(command, n, config.cpuSecondsFor(timeout)).getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("the sandboxed shell is gone (" + e.getMessage() + ")", e);
        }
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            killCommand(n);
            try {
                CommandResult r = done.get(KILL_GRACE.toNanos(), TimeUnit.NANOSECONDS);
                return new CommandResult(r.head(), r.tail(), r.omittedBytes(), r.exitCode(), true, r.elapsed());
            } catch (TimeoutException | InterruptedException | ExecutionException again) {
                close();
                throw new IllegalStateException("command " + n + " could not be killed after its timeout; session closed", again);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killCommand(n);
            throw new IllegalStateException("interrupted while running a command", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** The text fed to the persistent bash for one command: caps, command, state restore, state save, numbered marker. */
    private String script(String command, long n, long cpuSeconds) {
        String body = command.endsWith("\n") ? command : command + "\n";
        return "( ulimit -t " + cpuSeconds + ulimits + " 2>/dev/null\n"
                + "  IFS= read -r -d '' __e4j_cmd <<'" + heredocEnd + "'\n"
                + body
                + heredocEnd + "\n"
                + "  " + restore + "\n"
                + "  export ECHO4J_COMMAND=" + n + "\n"
                + "  trap '" + save.replace("'", "'\\''") + "' EXIT\n"
                + "  " + APPLY_OPTIONS + "; eval \"${__e4j_x-}$__e4j_cmd\"\n"
                + ") </dev/null 2>&1\n"
                + "printf '\\001E4J" + new String(marker, 4, marker.length - 4, StandardCharsets.US_ASCII) + n + ":%d\\n' $?\n";
    }

    /**
     * Saves the shell state when a command's subshell exits (also on {@code exit} and {@code set -e}): the
     * agent's options are recorded first and then switched off so that {@code set -eux} or {@code set -C}
     * cannot break or trace the saving itself.
     */
    private static String saveScript(String stateFile) {
        return "{ __e4j_rc=$?; __e4j_bo=$BASHOPTS; __e4j_so=$SHELLOPTS; builtin set +euxC;"
                + " { builtin declare -f; builtin alias -p; builtin umask -p;"
                + " builtin printf 'builtin cd -- %q\\n__e4j_bo=%q\\n__e4j_so=%q\\n' \"$PWD\" \"$__e4j_bo\" \"$__e4j_so\"; } >|" + stateFile + ".shell;"
                + " builtin shopt -s extglob; builtin compgen -v -X '" + NOT_SAVED + "' >|" + stateFile + ".names;"
                + " builtin mapfile -t __e4j_n <" + stateFile + ".names; builtin declare -p \"${__e4j_n[@]}\" >|" + stateFile + ".vars;"
                + " } 2>/dev/null; exit $__e4j_rc";
    }

    /**
     * Switches the {@code shopt} and {@code set -o} options to the saved ones, last before the command (an
     * {@code errexit} restored earlier would end the subshell at the first failing step of the protocol).
     * Nothing is done when they already match, the usual case. {@code xtrace} is switched on inside the
     * {@code eval}, so that the trace shows the agent's command and not the harness's {@code eval}.
     */
    private static final String APPLY_OPTIONS = "{ [[ -z $__e4j_bo || $BASHOPTS == \"$__e4j_bo\" ]] || { builtin shopt -u ${BASHOPTS//:/ };"
            + " builtin shopt -s ${__e4j_bo//:/ }; }; [[ -z $__e4j_so || $SHELLOPTS == \"$__e4j_so\" ]] || { for __e4j_o in ${SHELLOPTS//:/ };"
            + " do builtin set +o $__e4j_o; done; for __e4j_o in ${__e4j_so//:/ }; do if [[ $__e4j_o == xtrace ]]; then __e4j_x='builtin set -x; '; else builtin set -o $__e4j_o; fi; done; }; } 2>/dev/null";

    /** Kills the running command's process tree; the persistent shell and older background jobs live on. */
    private void killCommand(long n) {
        for (int round = 0; round < 50; round++) {
            List<ProcessHandle> victims = commandProcesses(n);
            if (victims.isEmpty()) {
                return;
            }
            victims.forEach(ProcessHandle::destroyForcibly);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("command {} still has processes after 50 kill rounds", n);
    }

    private List<ProcessHandle> commandProcesses(long n) {
        Optional<ProcessHandle> shell = mainShell();
        if (shell.isEmpty()) {
            return List.of();
        }
        List<ProcessHandle> out = new ArrayList<>(shell.get().descendants().toList());
        String tag = "ECHO4J_COMMAND=" + n;
        process.toHandle().descendants()
                .filter(p -> p.pid() != shell.get().pid() && !out.contains(p) && environContains(p.pid(), tag))
                .forEach(out::add);
        return out;
    }

    /** The persistent bash, found once right after start-up when it is the only bash in the sandbox. */
    private Optional<ProcessHandle> mainShell() {
        if (shell == null) {
            shell = config.backend() == SandboxBackend.UNSANDBOXED_LOCAL ? Optional.of(process.toHandle())
                    : process.toHandle().descendants()
                            .filter(p -> p.info().command().map(c -> c.endsWith("/bash")).orElse(false))
                            .findFirst();
        }
        return shell;
    }

    private static boolean environContains(long pid, String entry) {
        try {
            byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            for (String e : new String(env, StandardCharsets.UTF_8).split("\0")) {
                if (e.equals(entry)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Host pids of every process now alive in this session (the sandbox itself included). */
    List<Long> livePids() {
        return Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants())
                .filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    }

    /** Where what the sandbox wrote to a task image's root lands while the session is open; empty without an image. */
    Optional<Path> imageWrites() {
        return Optional.ofNullable(writableRoot).map(WritableRoot::upper);
    }

    /** The host folder seen as {@code /app}. */
    public Path workDir() {
        return workDir;
    }

    public SandboxConfig config() {
        return config;
    }

    /** Whether {@code ulimit -u} is in force (it needs the sandbox to run as an unprivileged user). */
    boolean processCapEnforced() {
        return processCapEnforced;
    }

    boolean isOpen() {
        return !closed && process.isAlive();
    }

    /**
     * Kills every process of the session (background, nohup and setsid children included) and waits for them.
     * The sandbox's processes die first so that bubblewrap reaps them and exits by itself: killing it first
     * would leave its children as zombies of a container init that may never reap them.
     */
    @Override
    public void close() {
        closed = true;
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the shell is already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                LOG.warn("sandbox process {} did not exit after its processes were killed; killing it", process.pid());
                process.destroyForcibly();
            }
            for (int round = 0; round < 100; round++) {
                List<ProcessHandle> left = Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants())
                        .filter(ProcessHandle::isAlive).toList();
                if (left.isEmpty()) {
                    break;
                }
                left.forEach(ProcessHandle::destroyForcibly);
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writableRoot != null) {
            try {
                writableRoot.delete();
            } catch (UncheckedIOException e) {
                LOG.warn("could not delete the writable layer of the image root: {}", e.getMessage());
            }
        }
        if (localStateDir != null) {
            try {
                for (String f : List.of("state.shell", "state.names", "state.vars")) {
                    Files.deleteIfExists(localStateDir.resolve(f));
                }
                Files.deleteIfExists(localStateDir);
            } catch (IOException e) {
                LOG.debug("could not remove {}: {}", localStateDir, e.getMessage());
            }
        }
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The sandbox user (nobody) must be able to walk down to every folder bound into the sandbox. */
    private static void requireReachable(Path dir) {
        for (Path a = dir.getParent(); a != null; a = a.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(a).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new SandboxUnavailableException("the sandbox runs as user nobody, which cannot reach " + dir + " because "
                            + a + " is not searchable by others; put the folder elsewhere or run: chmod o+x " + a);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the permissions of " + a, e);
            }
        }
    }

    /** Gives a folder tree to the sandbox user so that it can write there (modes stay as they are). */
    static void chownTree(Path root, int uid) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not hand " + root + " to the sandbox user " + uid, e);
        }
    }

    /**
     * Starts the shell, once more if the first start failed: a Ctrl-C sent to the whole process group can kill the
     * JVM's spawn helper in the instant before {@code setsid} moves the shell out of that group, and that one
     * signal must stop training after its step, not fail the episode.
     */
    private static Process start(ProcessBuilder pb, String program) {
        try {
            return pb.start();
        } catch (IOException first) {
            try {
                return pb.start();
            } catch (IOException e) {
                e.addSuppressed(first);
                throw new SandboxUnavailableException("could not start " + program + ": " + e.getMessage(), e);
            }
        }
    }
}
