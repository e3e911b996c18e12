package dev.echo4j.transcript;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.echo4j.tokenizer.ChatMessage;
import java.util.List;
import java.util.Objects;

/**
 * A finished (or running) episode: the messages with their token roles, the verifier's reward and why and
 * when it ended. Saved as one JSON line so that the same episodes serve SFT, env-only training and
 * world-model evaluation.
 *
 * @param task      the task's name
 * @param messages  system prompt, instruction, then assistant turns and observations
 * @param reward    the verifier's reward, NaN when the episode was not verified
 * @param endReason why the episode ended (null while it runs)
 * @param error     what failed when {@code endReason} is ERROR, else null
 * @param timings   where the episode's time went
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transcript(String task, List<TranscriptMessage> messages, double reward, EndReason endReason, String error,
                         Timings timings) {
    public Transcript {
        Objects.requireNonNull(task, "task");
        messages = List.copyOf(messages);
    }

    /** The messages as plain chat messages (what a policy is prompted with). */
    public List<ChatMessage> chatMessages() {
        return messages.stream().map(TranscriptMessage::toChatMessage).toList();
    }

    /** Number of agent turns. */
    public int turns() {
        return (int) messages.stream().filter(m -> m.role().equals("assistant")).count();
    }
}
