package dev.echo4j.transcript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.CommandResult;
import dev.echo4j.env.Observation;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptTest {

    private final Tokenizer tok = new ByteTokenizer();
    private final ChatTemplate template = new ChatTemplate(tok);

    private Transcript sample() {
        Observation ok = Observation.ofCommand("ls", new CommandResult("a.txt\nünï.txt\n", "", 0, 0, false, Duration.ZERO), List.of());
        Observation cut = Observation.ofCommand("seq 1 100000", new CommandResult("1\n2\n", "99999\n100000", 588886, 0, false, Duration.ZERO),
                List.of("2 commands found: only the first was executed; send one command per turn"));
        Observation none = Observation.warningsOnly(List.of("no command found"));
        return new Transcript("demo", List.of(
                TranscriptMessage.of("system", Segment.context("You are an agent.")),
                TranscriptMessage.of("user", Segment.context("Do the thing.")),
                TranscriptMessage.of("assistant", Segment.action("<bash>ls</bash>")),
                new TranscriptMessage("user", ok.segments()),
                TranscriptMessage.of("assistant", Segment.action("<bash>seq 1 100000</bash><bash>x</bash>")),
                new TranscriptMessage("user", cut.segments()),
                TranscriptMessage.of("assistant", Segment.action("hmm")),
                new TranscriptMessage("user", none.segments()),
                TranscriptMessage.of("assistant", Segment.action("<done/>"))),
                1.0, EndReason.DONE, null, new Timings(10, 20, 30, 60));
    }

    private String decodeRole(RenderedTranscript r, int role) {
        return tok.decode(IntStream.range(0, r.length()).filter(i -> r.roles()[i] == role).map(i -> r.ids()[i]).toArray());
    }

    private String expected(Transcript t, TokenRole role) {
        return t.messages().stream().flatMap(m -> m.segments().stream()).filter(s -> s.role() == role).map(Segment::text).collect(Collectors.joining());
    }

    @Test
    void decodingEachRoleReproducesExactlyItsText() {
        Transcript t = sample();
        RenderedTranscript r = new TranscriptRenderer(template).render(t);
        assertEquals(tok.decode(template.render(t.chatMessages(), false)), tok.decode(r.ids()), "same tokens as the chat template");
        String actions = t.messages().stream().filter(m -> m.role().equals("assistant")).map(m -> m.content() + Tokenizer.IM_END).collect(Collectors.joining());
        assertEquals(actions, decodeRole(r, TokenRole.ACTION.id()), "actions with their end-of-turn tokens");
        assertEquals(expected(t, TokenRole.ENV), decodeRole(r, TokenRole.ENV.id()));
        assertEquals(expected(t, TokenRole.WARNING), decodeRole(r, TokenRole.WARNING.id()));
        assertTrue(decodeRole(r, 2).contains("a.txt\nünï.txt\n(exit_code=0)"));
        assertTrue(decodeRole(r, 3).contains("[... 588886 bytes omitted ...]"));
        assertTrue(decodeRole(r, 3).startsWith("WARNINGS:\n- 2 commands found"));
        String context = decodeRole(r, 0);
        assertTrue(context.contains("You are an agent.") && context.contains("Do the thing.") && context.contains("<|im_start|>assistant\n"));
        assertEquals(0, Arrays.stream(r.roles()).filter(x -> x < 0 || x > 3).count());
    }

    @Test
    void promptIsTheRenderedEpisodeSoFarPlusTheAssistantHeader() {
        Transcript t = sample();
        TranscriptRenderer renderer = new TranscriptRenderer(template);
        RenderedTranscript prompt = renderer.renderPrompt(t);
        assertArrayEquals(template.render(t.chatMessages(), true), prompt.ids());
        int[] full = renderer.render(t).ids();
        assertArrayEquals(full, Arrays.copyOf(prompt.ids(), full.length));
        assertEquals(0, Arrays.stream(prompt.roles(), full.length, prompt.length()).sum(), "the header is context");
    }

    @Test
    void jsonLinesRoundTrip(@TempDir Path dir) {
        Transcript t = sample();
        Transcript unverified = new Transcript("x", t.messages(), Double.NaN, EndReason.ERROR, "sandbox died", new Timings(1, 2, 3, 4));
        Path file = dir.resolve("sub/transcripts.jsonl");
        TranscriptJsonl.append(file, List.of(t));
        TranscriptJsonl.append(file, List.of(unverified));
        List<Transcript> back = TranscriptJsonl.read(file);
        assertEquals(List.of(t, unverified).toString(), back.toString());
        assertEquals(t, back.get(0));
        assertTrue(Double.isNaN(back.get(1).reward()));
        assertEquals(1, TranscriptJsonl.toLine(t).lines().count());
    }
}
