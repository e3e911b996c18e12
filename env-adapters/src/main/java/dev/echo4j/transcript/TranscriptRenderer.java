package dev.echo4j.transcript;

import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Renders a transcript through the chat template into ids with one role per token. Template tokens
 * (headers, separators, the end-of-turn of system and user messages) are {@link TokenRole#CONTEXT}; the
 * assistant's end-of-turn token is {@link TokenRole#ACTION} because the policy generates it. Each segment is
 * encoded on its own, so that every token has exactly one role.
 */
public final class TranscriptRenderer {

    private final ChatTemplate template;

    public TranscriptRenderer(ChatTemplate template) {
        this.template = template;
    }

    /** The whole episode, for training. */
    public RenderedTranscript render(Transcript transcript) {
        return build(transcript.messages(), false);
    }

    /** Messages alone, e.g. the observation that continues a rollout being played. */
    public RenderedTranscript render(List<TranscriptMessage> messages) {
        return build(messages, false);
    }

    /**
     * The episode so far followed by the assistant header: the prompt for the next turn, tokenised exactly as
     * {@link #render} will tokenise it later (segment by segment), so that the tokens the policy was sampled on
     * are the tokens it is trained on.
     */
    public RenderedTranscript renderPrompt(Transcript transcript) {
        return build(transcript.messages(), true);
    }

    private RenderedTranscript build(List<TranscriptMessage> messages, boolean generationPrompt) {
        Builder b = new Builder();
        Tokenizer tok = template.tokenizer();
        for (TranscriptMessage m : messages) {
            b.add(template.header(m.role()), TokenRole.CONTEXT);
            for (Segment s : m.segments()) {
                b.add(tok.encode(s.text()), s.role());
            }
            b.add(new int[] {template.endOfTurnId()}, m.role().equals("assistant") ? TokenRole.ACTION : TokenRole.CONTEXT);
            b.add(template.separator(), TokenRole.CONTEXT);
        }
        if (generationPrompt) {
            b.add(template.header("assistant"), TokenRole.CONTEXT);
        }
        return b.build();
    }

    private static final class Builder {
        private int[] ids = new int[1024];
        private int[] roles = new int[1024];
        private int n;

        void add(int[] tokens, TokenRole role) {
            if (n + tokens.length > ids.length) {
                int cap = Math.max(ids.length * 2, n + tokens.length);
                ids = Arrays.copyOf(ids, cap);
                roles = Arrays.copyOf(roles, cap);
            }
            System.arraycopy(tokens, 0, ids, n, tokens.length);
            Arrays.fill(roles, n, n + tokens.length, role.id());
            n += tokens.length;
        }

        RenderedTranscript build() {
            return new RenderedTranscript(Arrays.copyOf(ids, n), Arrays.copyOf(roles, n));
        }
    }
}
