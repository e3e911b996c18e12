package dev.echo4j.env;

import dev.echo4j.task.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * One session's writable view of an image root: an overlay whose lower layer is the cached image (never written)
 * and whose upper layer is a fresh folder deleted at close, so that an agent or verifier may write /etc,
 * /usr/local, /root or /var as in a container and nothing of it outlives the episode.
 *
 * <p>bubblewrap 0.8 has no overlay option, so the overlay is mounted by {@code unshare}: a user namespace in
 * which the sandbox user is root, with a mount namespace of its own where the overlay lives and dies with the
 * sandbox (no mount on the host, nothing to unmount). bubblewrap then runs inside it and binds the overlay as
 * its {@code /}. The image's root-owned files are stored owned by {@link RootFilesystem#STORED_ROOT_UID}, which
 * this namespace maps to root, so that the sandbox's root owns them as a container's root would.
 */
final class WritableRoot {

    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    /** Mounts the overlay ($1 options, $2 mount point), then becomes the sandbox ($3...). */
    private static final String MOUNT_THEN_EXEC = "mount -t overlay echo4j-root -o \"$1\" \"$2\" || exit 125; shift 2; exec \"$@\"";

    private final Path dir;
    private final String options;

    private WritableRoot(Path dir, String options) {
        this.dir = dir;
        this.options = options;
    }

    /** A new, empty upper layer over {@code image}, owned by {@code owner} (the sandbox user) when not null. */
    static WritableRoot over(Path image, Integer owner) {
        if (!Files.isExecutable(UNSHARE)) {
            throw new SandboxUnavailableException("a task image's writable root needs " + UNSHARE + " (util-linux): apt-get install -y util-linux");
        }
        String lower = image.toAbsolutePath().normalize().toString();
        if (lower.matches(".*[,:\\\\].*")) {
            throw new SandboxUnavailableException("the image folder " + lower + " has a ',' ':' or '\\' in its path, which an overlay"
                    + " mount cannot name; move the image cache (ECHO4J_IMAGES) elsewhere");
        }
        try {
            Path dir = Files.createTempDirectory("echo4j-root-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            for (String sub : List.of("upper", "work", "merged")) {
                Path p = Files.createDirectory(dir.resolve(sub));
                if (owner != null) {
                    Files.setAttribute(p, "unix:uid", owner, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(p, "unix:gid", owner, LinkOption.NOFOLLOW_LINKS);
                }
            }
            return new WritableRoot(dir, "userxattr,lowerdir=" + lower + ",upperdir=" + dir.resolve("upper") + ",workdir=" + dir.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the writable layer of an image root", e);
        }
    }

    /** The command prefix that mounts the overlay in new user and mount namespaces and then runs the rest of the command. */
    List<String> mountCommand() {
        return List.of(UNSHARE.toString(), "--user", "--map-root-user", "--mount", "--", "/bin/sh", "-c", MOUNT_THEN_EXEC, "echo4j-root",
                options, merged().toString());
    }

    /** Where the overlay is mounted (inside the namespaces only): the sandbox's {@code /}. */
    Path merged() {
        return dir.resolve("merged");
    }

    /** What the sandbox wrote, outside the image: the overlay's upper layer. */
    Path upper() {
        return dir.resolve("upper");
    }

    /** Deletes the layer; call after the sandbox's processes are gone (the overlay goes with its namespace). */
    void delete() {
        Path inner = dir.resolve("work/work");
        try {
            if (Files.isDirectory(inner, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(inner, PosixFilePermissions.fromString("rwx------"));   // overlayfs leaves it mode 000
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the writable layer " + dir, e);
        }
        Folders.deleteTree(dir);
    }
}
