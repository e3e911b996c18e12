package dev.echo4j.task;

import dev.echo4j.image.DebianPython;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's script (its verifier, its reference solution) made to run offline. Published Terminal-Bench 2
 * {@code tests/test.sh} scripts install curl with apt-get, fetch the uv installer with curl, and run the tests with
 * {@code uvx ... -w pytest==X pytest --ctrf FILE TESTS}: three downloads before a single test runs; some reference
 * solutions start with an apt-get install. Here the apt-get, pip and installer lines are dropped (their Debian
 * packages are put in the task's image instead, so the agent has them too), and the uvx line runs the same test
 * files with the image's pytest ({@code pytest-3}, Debian's pytest command: like uvx's it does not put the working
 * folder first on Python's path, where {@code python3 -m pytest} would let a task's {@code /app/code.py} hide the
 * standard library's {@code code}); a script that ran {@code python -m pytest} itself keeps running it so, with the
 * working folder on the path as it expects; everything else in the script is kept as it is.
 *
 * @param script    the script to run
 * @param rewritten what was changed, for the log; empty when the script was left as it was
 * @param packages  the Debian packages the script needs in the image (apt-get installs, uvx/pip dependencies)
 */
public record OfflineScript(String script, List<String> rewritten, List<String> packages) {

    /** An apt-get command, also after variable assignments ({@code DEBIAN_FRONTEND=noninteractive apt-get update}, as pypi-server's solution). */
    private static final Pattern APT = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*(sudo\\s+)?(apt-get|apt)\\s+(-\\S+\\s+)*(update|install|upgrade)\\b.*");
    private static final Pattern UV_INSTALLER = Pattern.compile("^\\s*(curl|wget)\\b.*(astral\\.sh|uv/install|/uv[^/]*/install)\\b.*");
    private static final Pattern UV_ENV = Pattern.compile("^\\s*(source|\\.)\\s+\"?\\$(HOME|\\{HOME})/\\.(local/bin|cargo)/env\"?\\s*$");
    private static final Pattern PIP = Pattern.compile("^\\s*(uv\\s+pip|pip3?|python3?\\s+-m\\s+pip)\\s+install\\s+(.*)$");
    private static final Pattern UV_SETUP = Pattern.compile("^\\s*uv\\s+(venv|init|python\\s+install)\\b.*");
    private static final Pattern ACTIVATE = Pattern.compile("^\\s*(source|\\.)\\s+\\S*/bin/activate\\s*$");
    /** pytest run directly ({@code pytest}, {@code python -m pytest}) with the ctrf report, whose plugin Debian does not package. */
    private static final Pattern PYTEST_CTRF = Pattern.compile("^(.*\\s)?(python[0-9.]*\\s+-m\\s+)?pytest\\s.*--ctrf\\b.*");
    /** Where one shell command ends: what follows an apt-get install's package list is another command. */
    private static final Pattern APT_INSTALL = Pattern.compile("\\bapt(?:-get)?\\s+(?:-\\S+\\s+)*install\\b");
    private static final Pattern COMMAND_END = Pattern.compile("&&|\\|\\||[;|&>)]");

    public OfflineScript {
        rewritten = List.copyOf(rewritten);
        packages = List.copyOf(packages);
    }

    public static OfflineScript of(String script) {
        List<String> out = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        boolean uvVenv = false;
        for (String line : joinContinuations(script)) {
            String code = line.strip();
            if (APT.matcher(code).matches()) {
                aptPackages(code, packages);
                changes.add("dropped '" + shorten(code) + "' (its packages are in the image)");
            } else if (UV_INSTALLER.matcher(code).matches() || UV_ENV.matcher(code).matches() || UV_SETUP.matcher(code).matches()
                    || (uvVenv && ACTIVATE.matcher(code).matches())) {
                uvVenv |= code.startsWith("uv venv");
                changes.add("dropped '" + shorten(code) + "' (uv is not used offline)");
            } else if (PIP.matcher(code).matches()) {
                for (String w : PIP.matcher(code).replaceFirst("$2").split("\\s+")) {
                    if (!w.startsWith("-") && !w.isEmpty()) {
                        pythonPackage(w).ifPresent(packages::add);
                    }
                }
                changes.add("dropped '" + shorten(code) + "' (its Debian packages are in the image)");
            } else if (code.matches("^(.*\\s)?(uvx|uv\\s+run)\\s.*\\bpytest\\b.*") || PYTEST_CTRF.matcher(code).matches()) {
                String rewritten = pytest(code, packages);
                out.add(line.substring(0, line.indexOf(code.charAt(0))) + rewritten);
                changes.add("'" + shorten(code) + "' runs as '" + shorten(rewritten) + "' (Debian's python3-pytest)");
                continue;
            } else {
                aptPackages(code, packages);
                out.add(line);
                continue;
            }
            out.add(line.substring(0, Math.max(0, line.indexOf(code.isEmpty() ? ' ' : code.charAt(0)))) + ": echo4j-offline");
        }
        if (changes.isEmpty()) {
            return new OfflineScript(script, List.of(), List.copyOf(packages));
        }
        return new OfflineScript(String.join("\n", out) + "\n", changes, List.copyOf(packages));
    }

    /**
     * The packages of each {@code apt-get install} in a line (also one inside an {@code if} or after {@code &&}): the words after
     * install up to the end of that command, versions dropped.
     */
    private static void aptPackages(String code, Set<String> packages) {
        Matcher m = APT_INSTALL.matcher(code);
        while (m.find()) {
            String list = COMMAND_END.split(code.substring(m.end()), 2)[0];
            for (String w : list.strip().split("\\s+")) {
                if (w.matches("[a-z0-9][a-z0-9.+-]+(=\\S+)?") && !w.equals("curl")) {
                    packages.add(w.replaceFirst("=.*", ""));
                }
            }
        }
    }

    /**
     * {@code [prefix] uvx [-p V] [-w DIST]... pytest ARGS} (also {@code uv run}, {@code pytest}, {@code python -m pytest}) as
     * {@code [prefix] pytest-3 ARGS}, without {@code --ctrf FILE}; pytest run as {@code python -m pytest} stays a module run
     * ({@code python3 -m pytest ARGS}), which puts the working folder first on Python's path as the task's own command
     * did: largest-eigenval's tests import the solution's {@code /app/eigen.py} that way.
     */
    private static String pytest(String code, Set<String> packages) {
        List<String> w = List.of(code.split("\\s+"));
        StringBuilder s = new StringBuilder();
        int i = 0;
        while (runnerWords(w, i) < 0) {
            s.append(w.get(i++)).append(' ');
        }
        boolean module = w.get(i).matches("python[0-9.]*");
        i += runnerWords(w, i);
        while (i < w.size() && w.get(i).startsWith("-")) {
            String opt = w.get(i);
            boolean takesValue = !opt.contains("=") && opt.matches("-p|--python|-w|--with|--from|--with-requirements|--project|--directory");
            if (opt.matches("-w|--with") && i + 1 < w.size()) {
                pythonPackage(w.get(i + 1)).ifPresent(packages::add);
            } else if (opt.startsWith("--with=")) {
                pythonPackage(opt.substring(7)).ifPresent(packages::add);
            }
            i += takesValue ? 2 : 1;
        }
        if (i < w.size() && w.get(i).matches("python[0-9.]*") && i + 2 < w.size() && w.get(i + 1).equals("-m")) {
            module = true;
            i += 2;
        }
        s.append(module ? "python3 -m pytest -p no:cacheprovider" : "pytest-3 -p no:cacheprovider");
        for (i = i + 1; i < w.size(); i++) {
            if (w.get(i).equals("--ctrf") && i + 1 < w.size()) {
                i++;
            } else if (!w.get(i).startsWith("--ctrf=")) {
                s.append(' ').append(w.get(i));
            }
        }
        return s.toString();
    }

    /** How many words at {@code i} start pytest's runner before its options ({@code uvx}: 1, {@code uv run} and {@code python -m}: 2, a bare {@code pytest}: 0); -1 for none. */
    private static int runnerWords(List<String> w, int i) {
        String word = w.get(i);
        String next = i + 1 < w.size() ? w.get(i + 1) : "";
        if (word.equals("uvx")) {
            return 1;
        }
        if (word.equals("uv") && next.equals("run") || word.matches("python[0-9.]*") && next.equals("-m") && i + 2 < w.size() && w.get(i + 2).equals("pytest")) {
            return 2;
        }
        return word.equals("pytest") ? 0 : -1;
    }

    /** Debian's package of a Python distribution; none for what the image has or what is not a plain name. */
    private static Optional<String> pythonPackage(String requirement) {
        try {
            return DebianPython.packageOf(requirement);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<String> joinContinuations(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
            } else {
                out.add(cur.append(line).toString());
                cur.setLength(0);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 90 ? one.substring(0, 87) + "..." : one;
    }
}
