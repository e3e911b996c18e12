package dev.echo4j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * UTF-8 bytes as ids 0..255, then the chat special tokens. Encoding pieces separately and concatenating
 * equals encoding the whole, which keeps per-token roles exact when transcripts are rendered piecewise.
 */
public final class ByteTokenizer implements Tokenizer {

    private static final Map<String, Integer> SPECIALS;
    static {
        Map<String, Integer> s = new LinkedHashMap<>();
        s.put(END_OF_TEXT, 256);
        s.put(IM_START, 257);
        s.put(IM_END, 258);
        SPECIALS = Map.copyOf(s);
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id >= 0 && id < 256) {
                pending.write(id);
                continue;
            }
            out.append(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            out.append(nameOf(id));
        }
        return out.append(pending.toString(StandardCharsets.UTF_8)).toString();
    }

    /**
     * A special token's name; an id outside the vocabulary (a model's embedding may be padded past it, and
     * an untrained model may sample there) decodes to U+FFFD, as an undecodable byte does.
     */
    private static String nameOf(int id) {
        return SPECIALS.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst().orElse("\uFFFD");
    }

    @Override
    public int vocabSize() {
        return 256 + SPECIALS.size();
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return SPECIALS;
    }

    @Override
    public int padId() {
        return SPECIALS.get(END_OF_TEXT);
    }
}
