package dev.echo4j.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.echo4j.task.TaskFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a Dockerfile asks for, checked and turned into build steps before anything is built: the base image's
 * Debian stand-in, RUN, COPY/ADD of local files, WORKDIR, ENV and ARG. Whatever echo4j cannot build offline is
 * refused with the Dockerfile line and the reason: a multi-stage build, {@code COPY --from}, {@code ADD} of a
 * URL, an image that is not Debian, Ubuntu or Python, a RUN that needs the internet. A {@code pip install} of
 * named packages installs their Debian packages instead ({@link PipInstall}), which the log notes.
 *
 * @param base    the Debian release built instead of the FROM image
 * @param steps   the build steps, in order
 * @param workdir where the agent and the verifier start (the last WORKDIR; /app when there is none)
 * @param env     the variables set by ENV, for the agent and the verifier (ARG values are the build's only)
 * @param notes   what was interpreted loosely (ignored instructions, the default WORKDIR), for the build log
 */
public record ImageRecipe(BaseImage base, List<BuildStep> steps, String workdir, Map<String, String> env, List<String> notes) {

    /** Inside the build sandbox, the task's build context (environment/), read-only. */
    static final String CONTEXT = "/.echo4j-context";
    private static final Pattern VARIABLE = Pattern.compile("\\\\\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern ARCHIVE = Pattern.compile(".*\\.(tar|tar\\.gz|tgz|tar\\.bz2|tbz2|tar\\.xz|txz)$");
    private static final List<String> IGNORED = List.of("CMD", "ENTRYPOINT", "EXPOSE", "LABEL", "MAINTAINER", "HEALTHCHECK", "STOPSIGNAL",
            "VOLUME", "SHELL", "ONBUILD", "USER");

    public ImageRecipe {
        steps = List.copyOf(steps);
        env = Map.copyOf(env);
        notes = List.copyOf(notes);
    }

    /** Reads and checks {@code dockerfile}; its folder is the build context. */
    public static ImageRecipe of(Path dockerfile) {
        Dockerfile df = Dockerfile.read(dockerfile);
        Path context = dockerfile.toAbsolutePath().getParent();
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<BuildStep> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        BaseImage base = null;
        String workdir = null;
        Map<String, Path> copied = new LinkedHashMap<>();
        for (Dockerfile.Instruction in : df.instructions()) {
            Map<String, String> vars = new LinkedHashMap<>(args);
            vars.putAll(env);
            String cwd = workdir == null ? "/" : workdir;
            switch (in.keyword()) {
                case "ARG" -> {
                    for (String word : words(in.args())) {
                        int eq = word.indexOf('=');
                        String name = eq < 0 ? word : word.substring(0, eq);
                        args.put(name, eq < 0 ? args.getOrDefault(name, "") : substitute(word.substring(eq + 1), vars));
                    }
                }
                case "FROM" -> {
                    if (base != null) {
                        throw refuse(dockerfile, in, "a multi-stage build (a second FROM); echo4j builds single-stage Dockerfiles only");
                    }
                    String image = substitute(words(in.args()).get(0), vars);
                    base = BaseImage.of(image).orElseThrow(() -> refuse(dockerfile, in, "unknown base image '" + image
                            + "': echo4j builds debian, ubuntu and python:3.x images from Debian's package registry, no others"));
                }
                case "RUN" -> {
                    requireBase(dockerfile, in, base);
                    String written = runCommand(dockerfile, in);
                    PipInstall.Translation pip;
                    try {
                        pip = PipInstall.translate(written);
                    } catch (IllegalArgumentException e) {
                        throw refuse(dockerfile, in, "RUN needs the network at build time (" + e.getMessage() + ")");
                    }
                    String command = pip.command();
                    if (!pip.packages().isEmpty()) {
                        notes.add("line " + in.line() + ": pip install runs as apt-get install " + String.join(" ", pip.packages())
                                + " (Debian's packages and versions, offline)");
                    }
                    // Also with the ARG and ENV values in: bn-fit-modify downloads from a URL it keeps in an ARG.
                    NetworkUse.of(command).or(() -> NetworkUse.of(substitute(command, vars)))
                            .or(() -> scriptNetworkUse(command, cwd, copied)).ifPresent(what -> {
                        throw refuse(dockerfile, in, "RUN needs the network at build time (" + what
                                + "); echo4j builds offline images from Debian packages and local files only");
                    });
                    steps.add(new BuildStep(in.line(), "RUN " + oneLine(written), command, vars, cwd, true));
                }
                case "COPY", "ADD" -> {
                    requireBase(dockerfile, in, base);
                    steps.add(copy(dockerfile, context, in, vars, cwd, copied));
                }
                case "WORKDIR" -> {
                    requireBase(dockerfile, in, base);
                    String dir = substitute(in.args().strip(), vars);
                    workdir = Path.of(cwd).resolve(dir).normalize().toString();
                    steps.add(new BuildStep(in.line(), "WORKDIR " + workdir, "mkdir -p " + quote(workdir), vars, "/", false));
                }
                case "ENV" -> env.putAll(envPairs(dockerfile, in, vars));
                default -> {
                    if (!IGNORED.contains(in.keyword())) {
                        throw refuse(dockerfile, in, "unknown instruction " + in.keyword());
                    }
                    notes.add("line " + in.line() + ": " + in.keyword() + " ignored"
                            + (in.keyword().equals("USER") ? " (build steps run as root, the agent as an unprivileged user)" : ""));
                }
            }
        }
        if (base == null) {
            throw new TaskFormatException(dockerfile, "has no FROM line");
        }
        if (workdir == null || workdir.equals("/")) {
            notes.add("no WORKDIR below /: the agent and the verifier start in /app");
            workdir = "/app";
            steps.add(new BuildStep(0, "WORKDIR /app", "mkdir -p /app", Map.of(), "/", false));
        }
        return new ImageRecipe(base, steps, workdir, env, notes);
    }

    private static void requireBase(Path file, Dockerfile.Instruction in, BaseImage base) {
        if (base == null) {
            throw refuse(file, in, in.keyword() + " before FROM");
        }
    }

    private static String runCommand(Path file, Dockerfile.Instruction in) {
        if (in.flags().containsKey("mount") || in.flags().containsKey("network")) {
            throw refuse(file, in, "RUN --mount and --network are BuildKit features echo4j does not build");
        }
        String args = in.args();
        if (args.startsWith("[")) {
            return String.join(" ", json(file, in).stream().map(ImageRecipe::quote).toList());
        }
        if (!in.heredoc().isEmpty() && args.strip().matches("<<-?\\s*[\"']?\\w+[\"']?")) {
            return in.heredoc().values().iterator().next();
        }
        StringBuilder s = new StringBuilder(args);
        in.heredoc().forEach((delimiter, body) -> s.append('\n').append(body).append(delimiter));
        return s.toString();
    }

    /**
     * What a shell script from the build context that {@code command} runs ({@code bash setup.sh}, {@code ./build.sh}, ...)
     * fetches from the internet, so that the RUN is refused before the build rather than failing half-way.
     *
     * @param copied where COPY/ADD put build-context files and folders in the image
     */
    private static Optional<String> scriptNetworkUse(String command, String cwd, Map<String, Path> copied) {
        for (String w : words(command)) {
            String word = w.replaceAll("[;&|)]+$", "");
            if (!word.endsWith(".sh")) {
                continue;
            }
            Path inImage = Path.of(cwd).resolve(word).normalize();
            for (Map.Entry<String, Path> c : copied.entrySet()) {
                Path at = Path.of(c.getKey());
                if (!inImage.startsWith(at)) {
                    continue;
                }
                Path script = at.equals(inImage) ? c.getValue() : c.getValue().resolve(at.relativize(inImage).toString());
                if (Files.isRegularFile(script)) {
                    try {
                        Optional<String> what = NetworkUse.of(Files.readString(script));
                        if (what.isPresent()) {
                            return Optional.of(what.get() + " in " + script.getFileName());
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + script, e);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static BuildStep copy(Path file, Path context, Dockerfile.Instruction in, Map<String, String> vars, String cwd, Map<String, Path> copied) {
        if (in.flags().containsKey("from")) {
            throw refuse(file, in, "COPY --from copies from another image or build stage, which echo4j does not build");
        }
        List<String> words = in.args().startsWith("[") ? json(file, in) : words(in.args());
        if (words.size() < 2) {
            throw refuse(file, in, in.keyword() + " needs a source and a destination");
        }
        List<String> sources = words.subList(0, words.size() - 1).stream().map(w -> substitute(w, vars)).toList();
        String destWord = substitute(words.get(words.size() - 1), vars);
        String dest = Path.of(cwd).resolve(destWord).normalize().toString();
        boolean intoDir = destWord.endsWith("/") || destWord.equals(".") || destWord.endsWith("/.") || dest.equals("/") || sources.size() > 1;
        StringBuilder script = new StringBuilder("set -e\n");
        List<String> targets = new ArrayList<>();
        for (String src : sources) {
            if (src.matches("[a-z]+://.*")) {
                throw refuse(file, in, "ADD of a URL (" + src + ") needs the network at build time");
            }
            if (src.startsWith("<<")) {
                String body = in.heredoc().get(src.replaceAll("[<\"'-]", ""));
                String target = intoDir ? dest + "/" + src.replaceAll("[<\"'-]", "") : dest;
                String end = "ECHO4J_EOF_" + Integer.toHexString(body.hashCode());
                script.append("mkdir -p ").append(quote(Path.of(target).getParent().toString())).append('\n')
                        .append("cat > ").append(quote(target)).append(" <<'").append(end).append("'\n").append(body).append(end).append('\n');
                targets.add(target);
                continue;
            }
            for (Path p : matches(file, context, in, src)) {
                String inside = CONTEXT + "/" + context.relativize(p);
                boolean extract = in.keyword().equals("ADD") && Files.isRegularFile(p) && ARCHIVE.matcher(p.toString()).matches();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    script.append("mkdir -p ").append(quote(dest)).append(" && cp -R -P --preserve=mode,timestamps ")
                            .append(quote(inside + "/.")).append(' ').append(quote(dest + "/")).append('\n');
                    targets.add(dest);
                    copied.put(dest, p);
                } else if (extract) {
                    script.append("mkdir -p ").append(quote(dest)).append(" && tar -xf ").append(quote(inside)).append(" -C ").append(quote(dest))
                            .append(" --no-same-owner\n");
                    targets.add(dest);
                } else {
                    String target = intoDir ? dest + "/" + p.getFileName() : dest;
                    copied.put(target, p);
                    script.append("mkdir -p ").append(quote(Path.of(target).getParent().toString()))
                            .append(" && if [ -d ").append(quote(target)).append(" ]; then cp -P --preserve=mode,timestamps ").append(quote(inside))
                            .append(' ').append(quote(target + "/")).append("; else cp -P --preserve=mode,timestamps ").append(quote(inside))
                            .append(' ').append(quote(target)).append("; fi\n");
                    targets.add(target);
                }
            }
        }
        String chown = in.flags().get("chown");
        if (chown != null) {
            script.append("chown -R ").append(quote(substitute(chown, vars))).append(' ')
                    .append(String.join(" ", targets.stream().map(ImageRecipe::quote).toList())).append('\n');
        }
        String chmod = in.flags().get("chmod");
        if (chmod != null) {
            script.append("chmod -R ").append(quote(chmod)).append(' ')
                    .append(String.join(" ", targets.stream().map(ImageRecipe::quote).toList())).append('\n');
        }
        return new BuildStep(in.line(), in.keyword() + " " + String.join(" ", sources) + " " + dest, script.toString(), vars, cwd, false);
    }

    /** The context files a COPY source names ({@code *} and {@code ?} patterns too), never outside the context. */
    private static List<Path> matches(Path file, Path context, Dockerfile.Instruction in, String source) {
        Path wanted = context.resolve(source.startsWith("/") ? source.substring(1) : source).normalize();
        if (!wanted.startsWith(context)) {
            throw refuse(file, in, "source '" + source + "' lies outside the build context " + context);
        }
        List<Path> found;
        if (source.contains("*") || source.contains("?")) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + wanted);
            try (Stream<Path> s = Files.list(wanted.getParent())) {
                found = s.filter(m::matches).sorted().toList();
            } catch (IOException e) {
                found = List.of();
            }
        } else {
            found = Files.exists(wanted, LinkOption.NOFOLLOW_LINKS) ? List.of(wanted) : List.of();
        }
        if (found.isEmpty()) {
            throw refuse(file, in, "source '" + source + "' is not in the build context " + context);
        }
        return found;
    }

    private static Map<String, String> envPairs(Path file, Dockerfile.Instruction in, Map<String, String> vars) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> words = words(in.args());
        if (words.isEmpty()) {
            throw refuse(file, in, "ENV needs a name and a value");
        }
        if (!words.get(0).contains("=")) {
            String rest = in.args().strip().replaceFirst("^\\S+\\s*", "");
            out.put(words.get(0), substitute(String.join(" ", words(rest)), vars));
            return out;
        }
        Map<String, String> scope = new LinkedHashMap<>(vars);
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq < 1) {
                throw refuse(file, in, "ENV expects NAME=VALUE pairs, got '" + w + "'");
            }
            out.put(w.substring(0, eq), substitute(w.substring(eq + 1), scope));
        }
        return out;
    }

    /** {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}} and {@code ${NAME:+alternative}}, as Docker expands them. */
    static String substitute(String s, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("\\$")) {
                replacement = "$";
            } else {
                String name = m.group(1) != null ? m.group(1) : m.group(4);
                String value = vars.getOrDefault(name, "");
                replacement = m.group(2) == null ? value
                        : m.group(2).equals("-") ? (value.isEmpty() ? m.group(3) : value)
                        : (value.isEmpty() ? "" : m.group(3));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    /** Words split at blanks, with shell-style quotes and backslash escapes removed. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
                continue;
            }
            if (w == null) {
                w = new StringBuilder();
            }
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote != '\'' && i + 1 < s.length()) {
                w.append(s.charAt(++i));
            } else {
                w.append(c);
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }

    private static List<String> json(Path file, Dockerfile.Instruction in) {
        try {
            return List.of(JsonMapper.builder().build().readValue(in.args(), String[].class));
        } catch (JsonProcessingException e) {
            throw refuse(file, in, "the JSON form is not a list of strings: " + e.getOriginalMessage());
        }
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String oneLine(String command) {
        String s = command.strip().replaceAll("\\s+", " ");
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }

    private static TaskFormatException refuse(Path file, Dockerfile.Instruction in, String reason) {
        return new TaskFormatException(file, "line " + in.line() + ": " + reason);
    }
}
