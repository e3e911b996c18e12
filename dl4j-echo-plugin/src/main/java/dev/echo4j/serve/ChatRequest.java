package dev.echo4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.echo4j.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fields of an OpenAI chat-completion request that this server honours, checked: every bad value is an
 * {@link ApiException} naming the field and what it accepts. Other fields are ignored, as OpenAI-compatible
 * servers do. {@code maxTokens} and {@code seed} are null when the client left them out.
 */
record ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, double temperature, double topP, Long seed,
                   List<String> stop, boolean stream) {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final int MAX_STOP_STRINGS = 4;

    static ChatRequest parse(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.invalid("invalid_body", "the request body must be a JSON object, got " + body.getNodeType());
        }
        String model = body.hasNonNull("model") ? text(body, "model") : null;
        JsonNode ms = body.path("messages");
        if (!ms.isArray() || ms.isEmpty()) {
            throw ApiException.invalid("invalid_messages", "'messages' must be a non-empty array of {role, content}");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String role = m.path("role").asText(null);
            if (!m.path("role").isTextual() || !ROLES.contains(role)) {
                throw ApiException.invalid("invalid_messages", "messages[" + i + "].role must be one of " + ROLES + ", got " + m.path("role"));
            }
            messages.add(new ChatMessage(role, content(m.path("content"), i)));
        }
        if (body.hasNonNull("n") && !(body.get("n").isIntegralNumber() && body.get("n").asInt() == 1)) {
            throw ApiException.invalid("invalid_n", "'n' must be 1 (one choice per request; send several requests for more), got " + body.get("n"));
        }
        Integer maxTokens = null;
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            if (body.hasNonNull(field)) {
                JsonNode n = body.get(field);
                if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
                    throw ApiException.invalid("invalid_" + field, "'" + field + "' must be a whole number >= 1, got " + n);
                }
                maxTokens = n.asInt();
            }
        }
        double temperature = number(body, "temperature", 1.0, 0, 2);
        double topP = number(body, "top_p", 1.0, 0, 1);
        if (topP == 0) {
            throw ApiException.invalid("invalid_top_p", "'top_p' must be in (0, 1], got 0");
        }
        Long seed = null;
        if (body.hasNonNull("seed")) {
            if (!body.get("seed").isIntegralNumber() || !body.get("seed").canConvertToLong()) {
                throw ApiException.invalid("invalid_seed", "'seed' must be a whole number, got " + body.get("seed"));
            }
            seed = body.get("seed").asLong();
        }
        List<String> stop = new ArrayList<>();
        JsonNode s = body.path("stop");
        if (s.isTextual()) {
            stop.add(s.asText());
        } else if (s.isArray()) {
            s.forEach(x -> stop.add(x.isTextual() ? x.asText() : null));
        } else if (!s.isMissingNode() && !s.isNull()) {
            throw ApiException.invalid("invalid_stop", "'stop' must be a string or an array of strings, got " + s.getNodeType());
        }
        if (stop.size() > MAX_STOP_STRINGS || stop.stream().anyMatch(x -> x == null || x.isEmpty())) {
            throw ApiException.invalid("invalid_stop", "'stop' takes up to " + MAX_STOP_STRINGS + " non-empty strings, got " + s);
        }
        boolean stream = false;
        if (body.hasNonNull("stream")) {
            if (!body.get("stream").isBoolean()) {
                throw ApiException.invalid("invalid_stream", "'stream' must be true or false, got " + body.get("stream"));
            }
            stream = body.get("stream").asBoolean();
        }
        return new ChatRequest(model, messages, maxTokens, temperature, topP, seed, stop, stream);
    }

    /** A string, or OpenAI's array of parts of which only {@code {"type": "text", "text": ...}} is understood. */
    private static String content(JsonNode content, int i) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiException.invalid("invalid_messages", "messages[" + i + "].content parts must be {\"type\": \"text\", \"text\": ...}"
                            + " (this model reads text only), got " + part);
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiException.invalid("invalid_messages", "messages[" + i + "].content must be a string or an array of text parts, got "
                + content.getNodeType());
    }

    static String text(JsonNode body, String field) {
        if (!body.get(field).isTextual()) {
            throw ApiException.invalid("invalid_" + field, "'" + field + "' must be a string, got " + body.get(field));
        }
        return body.get(field).asText();
    }

    private static double number(JsonNode body, String field, double absent, double min, double max) {
        if (!body.hasNonNull(field)) {
            return absent;
        }
        JsonNode n = body.get(field);
        if (!n.isNumber() || !(n.asDouble() >= min && n.asDouble() <= max)) {
            throw ApiException.invalid("invalid_" + field, "'" + field + "' must be a number in [" + min + ", " + max + "], got " + n);
        }
        return n.asDouble();
    }
}
