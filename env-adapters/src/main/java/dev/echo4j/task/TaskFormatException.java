package dev.echo4j.task;

import java.nio.file.Path;

/** A task folder that does not follow the Harbor layout; the message names the file, the field and the fix. */
public final class TaskFormatException extends RuntimeException {

    private final Path file;

    public TaskFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public TaskFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The file (or folder) at fault. */
    public Path file() {
        return file;
    }
}
