package dev.echo4j.image;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.echo4j.env.RootFilesystem;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.task.Folders;
import dev.echo4j.task.TaskFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds task images without a container runtime and keeps them. A Debian base root is made once per release
 * with {@code mmdebstrap} (minbase, plus python3 and python3-pytest for the verifiers) from Debian's package
 * registry; each image is a copy of it with the Dockerfile's steps run inside by bubblewrap, as root in its own
 * namespaces, the registry reachable during RUN steps only. Nothing outside the cache folder is written: every
 * step sees the image as its root, and the build context read-only. A built image stores its root-owned files
 * as {@link RootFilesystem#STORED_ROOT_UID}, the uid that episodes map to their root (which can then write the
 * image through its own copy-on-write layer, as a container's root can).
 *
 * <p>Images are named by a digest of the Dockerfile, every file of its build context and the extra packages,
 * so an unchanged task is built once and a changed one again. Builds of one image by several threads or
 * processes wait for each other.
 */
public final class ImageBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageBuilder.class);
    /** Changes when what a build produces changes, so that older images are not reused. */
    private static final String BUILDER_VERSION = "3";
    private static final String MIRROR = "http://deb.debian.org/debian";
    private static final List<String> BASE_PACKAGES = List.of("debian-archive-keyring", "python3", "python3-pytest");
    private static final Path MMDEBSTRAP = Path.of("/usr/bin/mmdebstrap");
    private static final Path BWRAP = Path.of("/usr/bin/bwrap");
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
    /** The sandbox user (nobody) walks down to an image's root. */
    private static final java.nio.file.attribute.FileAttribute<?> SEARCHABLE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwxr-xr-x"));

    /** How the verifier-packages step notes a package that apt-get could not install. */
    private static final String NO_PACKAGE = "echo4j: Debian has no package ";

    private final Path cache;
    private final Consumer<String> progress;

    /** {@code progress} receives one line per build stage (base, each step); the log gets them too. */
    public ImageBuilder(Path cache, Consumer<String> progress) {
        this.cache = cache.toAbsolutePath().normalize();
        this.progress = progress;
    }

    /**
     * The image cache: {@code $ECHO4J_IMAGES}, else /var/cache/echo4j/images for root, else
     * ~/.cache/echo4j/images (the sandbox user must be able to reach it; the sandbox says so when it cannot).
     */
    public static Path defaultCache() {
        String env = System.getenv("ECHO4J_IMAGES");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return "root".equals(System.getProperty("user.name")) ? Path.of("/var/cache/echo4j/images")
                : Path.of(System.getProperty("user.home"), ".cache", "echo4j", "images");
    }

    /**
     * The image of {@code dockerfile} (its folder is the build context), built now unless cached.
     *
     * @param extraPackages Debian packages the verifier needs beyond pytest, installed if Debian has them
     * @param stepTimeout   the longest one build step may run
     */
    public Image build(Path dockerfile, List<String> extraPackages, Duration stepTimeout) {
        long t0 = System.nanoTime();
        ImageRecipe recipe = ImageRecipe.of(dockerfile);
        String key = key(dockerfile, recipe.base(), extraPackages);
        Path dir = cache.resolve(key);
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            if (!Files.isRegularFile(dir.resolve("image.json"))) {
                try (FileLock lock = lock(key)) {
                    if (!Files.isRegularFile(dir.resolve("image.json"))) {
                        buildInto(dir, dockerfile, recipe, extraPackages, stepTimeout);
                        Duration took = Duration.ofNanos(System.nanoTime() - t0);
                        step("image " + key + " built in " + took.toSeconds() + " s");
                        return image(dir, key, recipe, false, took);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot lock the image cache " + cache, e);
                }
            }
        }
        return image(dir, key, recipe, true, Duration.ofNanos(System.nanoTime() - t0));
    }

    private static Image image(Path dir, String key, ImageRecipe recipe, boolean hit, Duration took) {
        return new Image(dir, key, recipe.base(), recipe.workdir(), recipe.env(), recipe.notes(), hit, took);
    }

    private void buildInto(Path dir, Path dockerfile, ImageRecipe recipe, List<String> extraPackages, Duration stepTimeout) throws IOException {
        requireTools();
        BaseImage base = recipe.base();
        if (!base.note().isEmpty()) {
            step(dockerfile + ": " + base.note());
        }
        recipe.notes().forEach(n -> step(dockerfile + ": " + n));
        Path baseRoot = baseRoot(base);
        Path work = Files.createTempDirectory(cache, ".build-" + dir.getFileName() + "-", SEARCHABLE);
        Path root = work.resolve("rootfs");
        Path log = work.resolve("build.log");
        try {
            run(List.of("cp", "-a", "--reflink=auto", baseRoot.toString(), root.toString()), Duration.ofMinutes(10), log, "copying the base");
            Path context = dockerfile.toAbsolutePath().getParent();
            List<BuildStep> steps = new ArrayList<>();
            if (!base.packages().isEmpty()) {
                steps.add(new BuildStep(0, "the packages of " + base.image() + ": " + String.join(" ", base.packages()), "apt-get update -qq"
                        + " && apt-get install -y -qq --no-install-recommends " + String.join(" ", base.packages()), Map.of(), "/", true));
            }
            steps.addAll(recipe.steps());
            if (!extraPackages.isEmpty()) {
                steps.add(new BuildStep(0, "verifier packages " + String.join(" ", extraPackages), "apt-get update -qq; for p in "
                        + String.join(" ", extraPackages.stream().map(ImageRecipe::quote).toList())
                        + "; do apt-get install -y -qq --no-install-recommends \"$p\" || echo \"" + NO_PACKAGE + "$p\"; done",
                        Map.of(), "/", true));
            }
            steps.add(new BuildStep(0, "clean-up", "apt-get clean; rm -rf /var/lib/apt/lists/*; mkdir -p /app /logs /tests /solution "
                    + ImageRecipe.quote(recipe.workdir()), Map.of(), "/", false));
            for (int i = 0; i < steps.size(); i++) {
                BuildStep s = steps.get(i);
                step("[" + (i + 1) + "/" + steps.size() + "] " + (s.line() > 0 ? "line " + s.line() + ": " : "") + s.description());
                int exit = runStep(root, context, s, stepTimeout, log);
                if (exit != 0) {
                    Path kept = cache.resolve(dir.getFileName() + ".failed.log");
                    Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
                    throw new TaskFormatException(dockerfile, (s.line() > 0 ? "line " + s.line() + ": " : "") + s.description() + " failed ("
                            + (exit == 124 ? "ran past " + stepTimeout.toSeconds() + " s" : "exit " + exit) + "): " + lastLine(log)
                            + " (the build log: " + kept + ")");
                }
            }
            List<String> missing = missingPackages(log);
            if (!missing.isEmpty()) {
                step("Debian has no package " + String.join(", ", missing) + ": the image is built without, and what imports it will fail"
                        + " (the build log: " + dir.resolve("build.log") + ")");
            }
            Files.deleteIfExists(root.resolve(ImageRecipe.CONTEXT.substring(1)));
            String owner = Integer.toString(RootFilesystem.STORED_ROOT_UID);
            run(List.of("chown", "-hR", "--from=0", owner, root.toString()), Duration.ofMinutes(10), log, "storing root's files as the sandbox's root");
            run(List.of("chown", "-hR", "--from=:0", ":" + owner, root.toString()), Duration.ofMinutes(10), log, "storing root's group");
            Path resolv = root.resolve("etc/resolv.conf");
            if (Files.isRegularFile(resolv, LinkOption.NOFOLLOW_LINKS) && Files.size(resolv) == 0) {
                Files.delete(resolv);
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("dockerfile", dockerfile.toAbsolutePath().toString());
            meta.put("from", base.image());
            meta.put("debian", base.suite());
            meta.put("workdir", recipe.workdir());
            meta.put("env", recipe.env());
            meta.put("packages", extraPackages);
            JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValue(work.resolve("image.json").toFile(), meta);
            Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(work)) {
                Folders.deleteTree(work);
            }
        }
    }

    /** The Debian base root of a release with the packages the verifiers need, made once and shared by its images. */
    private Path baseRoot(BaseImage base) throws IOException {
        List<String> packages = BASE_PACKAGES;
        String name = "base-" + base.suite() + "-" + digest(String.join(",", packages)).substring(0, 8);
        Path dir = cache.resolve(name);
        synchronized (LOCKS.computeIfAbsent(name, k -> new Object())) {
            try (FileLock lock = lock(name)) {
                if (!Files.isDirectory(dir.resolve("rootfs"))) {
                    long t0 = System.nanoTime();
                    step("building the Debian " + base.suite() + " base with mmdebstrap (once per release; about a minute)");
                    Path work = Files.createTempDirectory(cache, ".build-" + name + "-", SEARCHABLE);
                    try {
                        int exit = run(List.of(MMDEBSTRAP.toString(), "--variant=minbase", "--mode=root", "--include=" + String.join(",", packages),
                                base.suite(), work.resolve("rootfs").toString(), MIRROR), Duration.ofMinutes(30), work.resolve("mmdebstrap.log"), null);
                        if (exit != 0) {
                            throw new SandboxUnavailableException("mmdebstrap could not build Debian " + base.suite() + " (exit " + exit + "): "
                                    + lastLine(work.resolve("mmdebstrap.log")) + "; is " + MIRROR + " reachable?");
                        }
                        Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        if (Files.exists(work)) {
                            Folders.deleteTree(work);
                        }
                    }
                    step("Debian " + base.suite() + " base built in " + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s");
                }
            }
        }
        return dir.resolve("rootfs");
    }

    /** Runs one build step in the image's root with bubblewrap; the exit code, 124 on timeout. */
    private static int runStep(Path root, Path context, BuildStep s, Duration timeout, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(BWRAP.toString(), "--bind", root.toString(), "/", "--dev", "/dev", "--proc", "/proc",
                "--perms", "1777", "--tmpfs", "/tmp", "--ro-bind", context.toString(), ImageRecipe.CONTEXT, "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--die-with-parent", "--cap-add", "ALL", "--chdir", s.workdir(), "--clearenv",
                "--setenv", "PATH", s.env().getOrDefault("PATH", DEFAULT_PATH), "--setenv", "HOME", "/root",
                "--setenv", "DEBIAN_FRONTEND", "noninteractive", "--setenv", "LANG", "C.UTF-8"));
        if (s.network()) {
            cmd.addAll(List.of("--ro-bind", "/etc/resolv.conf", "/etc/resolv.conf"));
        } else {
            cmd.add("--unshare-net");
        }
        s.env().forEach((k, v) -> {
            if (!k.equals("PATH")) {
                cmd.addAll(List.of("--setenv", k, v));
            }
        });
        cmd.addAll(List.of("--", "/bin/sh", "-c", s.script()));
        return run(cmd, timeout, log, null);
    }

    /** Runs a host command with its output appended to {@code log}; the exit code, 124 on timeout. */
    private static int run(List<String> cmd, Duration timeout, Path log, String what) throws IOException {
        Files.writeString(log, "$ " + String.join(" ", cmd.subList(0, Math.min(cmd.size(), 8))) + " ...\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("LD_PRELOAD");
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return 124;
            }
            if (what != null && p.exitValue() != 0) {
                throw new IOException(what + " failed (exit " + p.exitValue() + "): " + lastLine(log));
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building an image", e);
        }
    }

    /**
     * The builder needs root (installing packages into a root folder sets owners), bubblewrap and mmdebstrap;
     * mmdebstrap is installed with apt-get when missing, as the launcher does for bubblewrap.
     */
    private static void requireTools() throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new SandboxUnavailableException("building a task's Dockerfile needs root (packages are installed into the image as root);"
                    + " prebuild the images as root: sudo ./echo4j tasks build TASK_DIR");
        }
        if (!Files.isExecutable(BWRAP)) {
            throw new SandboxUnavailableException("building a task's Dockerfile needs bubblewrap (/usr/bin/bwrap): apt-get install -y bubblewrap");
        }
        if (!Files.isExecutable(MMDEBSTRAP)) {
            if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
                throw new SandboxUnavailableException("building a task's Dockerfile needs mmdebstrap (Debian's package), and this machine has no apt-get");
            }
            LOG.info("installing mmdebstrap (builds the Debian roots of task images): apt-get install -y mmdebstrap");
            Path log = Files.createTempFile("echo4j-apt-", ".log");
            int exit = run(List.of("/bin/sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap"),
                    Duration.ofMinutes(10), log, null);
            if (exit != 0 || !Files.isExecutable(MMDEBSTRAP)) {
                throw new SandboxUnavailableException("could not install mmdebstrap (exit " + exit + "): " + lastLine(log));
            }
            Files.deleteIfExists(log);
        }
    }

    private FileLock lock(String name) throws IOException {
        Files.createDirectories(cache);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        return FileChannel.open(cache.resolve("." + name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE).lock();
    }

    /**
     * The image's name: a digest of the builder, the Debian base standing in, the Dockerfile, every build-context
     * file (path, mode, bytes) and the packages.
     */
    static String key(Path dockerfile, BaseImage base, List<String> extraPackages) {
        Path context = dockerfile.toAbsolutePath().getParent();
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((BUILDER_VERSION + "\0" + base.suite() + "\0" + String.join(",", base.packages()) + "\0" + String.join(",", extraPackages)
                    + "\0").getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(dockerfile));
            try (Stream<Path> s = Files.walk(context)) {
                for (Path p : s.sorted().toList()) {
                    md.update(("\0" + context.relativize(p) + "\0").getBytes(StandardCharsets.UTF_8));
                    if (Files.isSymbolicLink(p)) {
                        md.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
                    } else if (Files.isRegularFile(p)) {
                        md.update(Integer.toString(Files.isExecutable(p) ? 1 : 0).getBytes(StandardCharsets.UTF_8));
                        md.update(Files.readAllBytes(p));
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 20);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build context " + context, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The verifier packages that apt-get could not find, as the verifier-packages step wrote them to the log. */
    private static List<String> missingPackages(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith(NO_PACKAGE)).map(l -> l.substring(NO_PACKAGE.length()).strip()).distinct().toList();
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "it printed nothing" : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void step(String line) {
        LOG.info(line);
        progress.accept(line);
    }
}
