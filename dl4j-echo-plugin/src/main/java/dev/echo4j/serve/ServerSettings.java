package dev.echo4j.serve;

import java.util.Objects;

/**
 * How {@link ChatServer} listens and what it accepts.
 *
 * @param host             address to bind; 127.0.0.1 by default, so the model is not exposed by accident
 * @param port             TCP port, 0 for any free one
 * @param modelName        the one model id clients must name (or leave out)
 * @param maxBodyBytes     larger request bodies get 413
 * @param defaultMaxTokens tokens generated when a request gives no max_tokens (less if the context is short)
 */
public record ServerSettings(String host, int port, String modelName, int maxBodyBytes, int defaultMaxTokens) {

    public static final String LOOPBACK = "127.0.0.1";

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535 (0 = any free port), got " + port);
        }
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName must not be blank");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
        }
        if (defaultMaxTokens < 1) {
            throw new IllegalArgumentException("defaultMaxTokens must be at least 1, got " + defaultMaxTokens);
        }
    }

    /** Loopback, 1 MiB bodies, 256 tokens by default. */
    public static ServerSettings local(int port, String modelName) {
        return new ServerSettings(LOOPBACK, port, modelName, 1 << 20, 256);
    }
}
