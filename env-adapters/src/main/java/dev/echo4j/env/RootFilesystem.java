package dev.echo4j.env;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A task's own root filesystem (a built image) for the sandbox, instead of the host's system folders: the sandbox
 * runs as its root and sees it writable through a copy-on-write layer of its own, discarded when the session
 * closes (the image itself is never written), with the episode's working folder at {@code workdir} and the image's
 * variables set.
 *
 * @param root    the host folder holding the image's root
 * @param workdir where the shell starts and the episode's writable folder is mounted (absolute, not /)
 * @param env     the image's variables (Dockerfile ENV); PATH among them replaces the default one
 */
public record RootFilesystem(Path root, String workdir, Map<String, String> env) {

    /**
     * The host uid (and gid) an image stores its root-owned files under: the unprivileged sandbox user (nobody),
     * which the sandbox maps to its root. Files stored as the host's root could not be changed by it.
     */
    public static final int STORED_ROOT_UID = 65534;

    public RootFilesystem {
        Objects.requireNonNull(root, "root");
        if (workdir == null || !workdir.startsWith("/") || workdir.equals("/")) {
            throw new IllegalArgumentException("workdir must be an absolute path below /, got '" + workdir + "'");
        }
        env = Map.copyOf(env);
    }
}
