package dev.echo4j.serve;

/**
 * A request the server refuses, with the HTTP status and OpenAI's error fields
 * ({@code {"error": {"message", "type", "code"}}}).
 */
final class ApiException extends RuntimeException {

    final int status;
    final String type;
    final String code;

    ApiException(int status, String type, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    static ApiException invalid(String code, String message) {
        return new ApiException(400, "invalid_request_error", code, message);
    }
}
