package dev.echo4j.serve;

/** The engine's request queue is full: the caller should retry later (HTTP 503). */
public final class EngineBusyException extends RuntimeException {

    public EngineBusyException(int capacity) {
        super("the inference queue is full (" + capacity + " requests waiting); retry later");
    }
}
