package dev.echo4j.image;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python distributions as Debian packages, so that what a task would install from PyPI comes from Debian's
 * registry offline: {@code pandas==2.3.2} is python3-pandas (Debian's version, not the pinned one), with the
 * renames Debian made ({@code scikit-learn} is python3-sklearn, {@code pyyaml} python3-yaml, ...).
 */
public final class DebianPython {

    private static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("scikit-learn", "python3-sklearn"), Map.entry("sklearn", "python3-sklearn"),
            Map.entry("pyyaml", "python3-yaml"), Map.entry("beautifulsoup4", "python3-bs4"), Map.entry("pillow", "python3-pil"),
            Map.entry("opencv-python", "python3-opencv"), Map.entry("opencv-python-headless", "python3-opencv"),
            Map.entry("python-dateutil", "python3-dateutil"), Map.entry("attrs", "python3-attr"), Map.entry("pyjwt", "python3-jwt"),
            Map.entry("psycopg2-binary", "python3-psycopg2"), Map.entry("torch", "python3-torch"), Map.entry("pycryptodome", "python3-pycryptodome"),
            Map.entry("msgpack-python", "python3-msgpack"), Map.entry("pyzmq", "python3-zmq"), Map.entry("python-magic", "python3-magic"),
            Map.entry("pyserial", "python3-serial"), Map.entry("pyopenssl", "python3-openssl"), Map.entry("protobuf", "python3-protobuf"),
            Map.entry("typing-extensions", "python3-typing-extensions"), Map.entry("tomli", "python3-tomli"),
            Map.entry("opencv-contrib-python", "python3-opencv"), Map.entry("opencv-contrib-python-headless", "python3-opencv"),
            Map.entry("cython", "cython3"), Map.entry("gitpython", "python3-git"), Map.entry("grpcio-tools", "python3-grpc-tools"),
            Map.entry("mailman", "mailman3"));
    /**
     * What the images have already (pytest is in every image) or what is not needed offline. setuptools and wheel are
     * not among them: Python 3.12 and later come without setuptools, and feal-differential-cryptanalysis's tests build a C
     * extension with the setuptools its Dockerfile installs.
     */
    private static final List<String> PRESENT = List.of("pytest", "pytest-json-ctrf", "pip");
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)(\\[[^]]*])?\\s*([<>=!~].*)?");

    private DebianPython() {
    }

    /**
     * The Debian package of a requirement ({@code name}, {@code name==1.2}, {@code name[extra]>=1}); empty for one the
     * images have already; a requirement that is not a plain name (a URL, a path, {@code git+...}) has none and throws.
     */
    public static Optional<String> packageOf(String requirement) {
        Matcher m = NAME.matcher(requirement.replaceAll("[\"']", "").strip());
        if (!m.matches() || requirement.contains("/") || requirement.contains(":")) {
            throw new IllegalArgumentException("'" + requirement + "' is not a package name Debian can stand in for");
        }
        String name = m.group(1).toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
        if (PRESENT.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(RENAMED.getOrDefault(name, "python3-" + name.replaceFirst("^python-", "")));
    }
}
