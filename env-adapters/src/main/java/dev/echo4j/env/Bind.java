package dev.echo4j.env;

import java.nio.file.Path;
import java.util.Objects;

/** A host folder made visible inside the sandbox at {@code target}, read-write or read-only. */
public record Bind(Path host, String target, boolean writable) {
    public Bind {
        Objects.requireNonNull(host, "host");
        if (target == null || !target.startsWith("/") || target.equals("/")) {
            throw new IllegalArgumentException("bind target must be an absolute path below /, got '" + target + "'");
        }
    }
}
