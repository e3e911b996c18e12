package dev.echo4j.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables task.toml sets, as Harbor defines them: {@code [environment.env]} for everything that runs in the
 * task's environment (agent, reference solution and verifier), {@code [verifier.env]} for the verifier only and
 * {@code [solution.env]} for the reference solution only (Harbor has no {@code [agent.env]}). Values may name host
 * variables, {@code ${VAR}} or {@code ${VAR:-default}}, resolved when the task is loaded, as Harbor does; a host
 * variable that is not set and has no default is refused, so that a task that needs (say) an API key says so
 * instead of running with an empty one. A Dockerfile's ENV variables come first and these override them.
 *
 * @param environment set for every phase
 * @param verifier    set for tests/test.sh, over {@code environment}
 * @param solution    set for solution/solve.sh, over {@code environment}
 */
public record TaskVariables(Map<String, String> environment, Map<String, String> verifier, Map<String, String> solution) {

    public static final TaskVariables NONE = new TaskVariables(Map.of(), Map.of(), Map.of());
    private static final Pattern HOST = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public TaskVariables {
        environment = Map.copyOf(environment);
        verifier = Map.copyOf(verifier);
        solution = Map.copyOf(solution);
    }

    /** The three tables of {@code toml}, host variables resolved through {@code host}. */
    static TaskVariables of(Path file, JsonNode toml, UnaryOperator<String> host) {
        return new TaskVariables(table(file, toml, "environment", host), table(file, toml, "verifier", host), table(file, toml, "solution", host));
    }

    /**
     * Shell assignments of {@code vars}, each followed by a blank ({@code A='x' B='y' }; nothing when empty): before a
     * command they set its environment only, after {@code export} the shell's.
     */
    static String assignments(Map<String, String> vars) {
        StringBuilder s = new StringBuilder();
        new java.util.TreeMap<>(vars).forEach((k, v) -> s.append(k).append('=').append(quote(v)).append(' '));
        return s.toString();
    }

    /** {@code s} as one single-quoted shell word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Map<String, String> table(Path file, JsonNode toml, String phase, UnaryOperator<String> host) {
        JsonNode t = toml.path(phase).path("env");
        if (t.isMissingNode()) {
            return Map.of();
        }
        if (!t.isObject()) {
            throw new TaskFormatException(file, "field '" + phase + ".env' must be a table of NAME = \"value\", got " + t.getNodeType());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) t::fields) {
            String name = e.getKey();
            if (!NAME.matcher(name).matches()) {
                throw new TaskFormatException(file, "[" + phase + ".env] '" + name + "' is not a variable name");
            }
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new TaskFormatException(file, "[" + phase + ".env] " + name + " must be a string, got " + e.getValue().getNodeType());
            }
            out.put(name, resolve(file, phase, name, e.getValue().asText(), host));
        }
        return out;
    }

    private static String resolve(Path file, String phase, String name, String value, UnaryOperator<String> host) {
        Matcher m = HOST.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = host.apply(m.group(1));
            if (v == null || v.isEmpty() && m.group(2) != null) {
                if (m.group(2) == null) {
                    throw new TaskFormatException(file, "[" + phase + ".env] " + name + " needs the host variable " + m.group(1)
                            + ", which is not set: set it, or write ${" + m.group(1) + ":-default}");
                }
                v = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }
}
