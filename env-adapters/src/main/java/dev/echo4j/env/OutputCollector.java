package dev.echo4j.env;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Collects one command's output as it streams in, keeping at most a head and a tail of it, and spots the
 * end-of-command marker the shell prints after it ({@code marker<command number>:<exit code>\n}). Memory stays
 * bounded however much a command prints.
 */
final class OutputCollector {

    /** Room at the end of the tail for the marker line itself. */
    private static final int MARKER_ROOM = 96;

    private final byte[] marker;
    private final byte[] head;
    private int headLen;
    private final byte[] ring;
    private long ringWritten;
    private int markerLength;

    OutputCollector(byte[] marker, int maxOutputBytes) {
        this.marker = marker;
        this.head = new byte[maxOutputBytes / 2];
        this.ring = new byte[maxOutputBytes - maxOutputBytes / 2 + MARKER_ROOM];
    }

    void append(byte[] b, int off, int len) {
        int toHead = Math.min(len, head.length - headLen);
        System.arraycopy(b, off, head, headLen, toHead);
        headLen += toHead;
        for (int i = off + toHead; i < off + len; ) {
            int pos = (int) (ringWritten % ring.length);
            int n = Math.min(ring.length - pos, off + len - i);
            System.arraycopy(b, i, ring, pos, n);
            ringWritten += n;
            i += n;
        }
    }

    /** The command number and exit code if the stream now ends with a marker line, otherwise null. */
    End end() {
        byte[] end = last(Math.min(MARKER_ROOM, total()));
        if (end.length == 0 || end[end.length - 1] != '\n') {
            return null;
        }
        int codeEnd = end.length - 1;
        int codeStart = digitsBefore(end, codeEnd);
        int numberEnd = codeStart - 1;
        if (codeStart == codeEnd || numberEnd < 0 || end[numberEnd] != ':') {
            return null;
        }
        int numberStart = digitsBefore(end, numberEnd);
        int markStart = numberStart - marker.length;
        if (numberStart == numberEnd || markStart < 0
                || !Arrays.equals(end, markStart, numberStart, marker, 0, marker.length)) {
            return null;
        }
        markerLength = end.length - markStart;
        return new End(Long.parseLong(ascii(end, numberStart, numberEnd)), Integer.parseInt(ascii(end, codeStart, codeEnd)));
    }

    /** Which command a marker line ends, and with which exit code. */
    record End(long command, int exitCode) {
    }

    private static int digitsBefore(byte[] b, int end) {
        int start = end;
        while (start > 0 && Character.isDigit(b[start - 1])) {
            start--;
        }
        return start;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    /**
     * The output without the marker line: whole (as the head, with an empty tail) when it fits the cap,
     * otherwise its head, its tail and the count of bytes dropped between. An output longer than the head
     * but within the cap is one piece again, so that no caller can show its head and lose the rest.
     */
    CommandResultParts parts() {
        long total = total() - markerLength;
        if (total <= headLen) {
            return new CommandResultParts(utf8(head, 0, (int) total), "", 0);
        }
        long tailTotal = total - headLen;
        int tailKept = (int) Math.min(tailTotal, ring.length - MARKER_ROOM);
        byte[] tail = range(ringWritten - markerLength - tailKept, tailKept);
        if (tailKept == tailTotal) {
            byte[] whole = Arrays.copyOf(head, headLen + tailKept);
            System.arraycopy(tail, 0, whole, headLen, tailKept);
            return new CommandResultParts(utf8(whole, 0, whole.length), "", 0);
        }
        int headEnd = charBoundaryBefore(head, headLen);
        int tailStart = 0;
        while (tailStart < Math.min(3, tail.length) && isContinuation(tail[tailStart])) {
            tailStart++;
        }
        long omitted = tailTotal - tailKept + (headLen - headEnd) + tailStart;
        return new CommandResultParts(utf8(head, 0, headEnd), utf8(tail, tailStart, tail.length - tailStart), omitted);
    }

    /**
     * Where a cut at {@code end} falls without splitting a UTF-8 character: before a last character whose
     * bytes are not all there, so that the kept head decodes as the output's own text.
     */
    private static int charBoundaryBefore(byte[] b, int end) {
        int lead = end - 1;
        while (lead > 0 && end - lead < 4 && isContinuation(b[lead])) {
            lead--;
        }
        if (lead < 0) {
            return end;
        }
        int first = b[lead] & 0xFF;
        int length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
        return end - lead < length ? lead : end;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    record CommandResultParts(String head, String tail, long omittedBytes) {
    }

    private long total() {
        return headLen + ringWritten;
    }

    private byte[] last(long n) {
        long fromRing = Math.min(n, ringWritten);
        byte[] out = new byte[(int) n];
        int fromHead = (int) (n - fromRing);
        System.arraycopy(head, headLen - fromHead, out, 0, fromHead);
        byte[] r = range(ringWritten - fromRing, (int) fromRing);
        System.arraycopy(r, 0, out, fromHead, r.length);
        return out;
    }

    /** Bytes [start, start+len) of the ring's stream. */
    private byte[] range(long start, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; ) {
            int pos = (int) ((start + i) % ring.length);
            int n = Math.min(ring.length - pos, len - i);
            System.arraycopy(ring, pos, out, i, n);
            i += n;
        }
        return out;
    }

    private static String utf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
