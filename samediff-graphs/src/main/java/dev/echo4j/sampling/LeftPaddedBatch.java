package dev.echo4j.sampling;

import java.util.Arrays;

/** Token rows of different lengths aligned on the right: pad id 0 with mask 0 on the left. */
record LeftPaddedBatch(int[][] ids, int[][] mask, int[] lengths) {

    static LeftPaddedBatch of(int[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no prompts");
        }
        int width = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
        int[][] ids = new int[rows.length][width];
        int[][] mask = new int[rows.length][width];
        int[] lengths = new int[rows.length];
        for (int b = 0; b < rows.length; b++) {
            if (rows[b].length == 0) {
                throw new IllegalArgumentException("prompt " + b + " is empty; every prompt needs at least one token");
            }
            int offset = width - rows[b].length;
            System.arraycopy(rows[b], 0, ids[b], offset, rows[b].length);
            Arrays.fill(mask[b], offset, width, 1);
            lengths[b] = rows[b].length;
        }
        return new LeftPaddedBatch(ids, mask, lengths);
    }

    /** This batch with one more token per sequence. */
    LeftPaddedBatch append(int[] tokens) {
        int[][] grownIds = new int[ids.length][];
        int[][] grownMask = new int[ids.length][];
        int[] grownLengths = new int[ids.length];
        for (int b = 0; b < ids.length; b++) {
            grownIds[b] = Arrays.copyOf(ids[b], ids[b].length + 1);
            grownIds[b][ids[b].length] = tokens[b];
            grownMask[b] = Arrays.copyOf(mask[b], mask[b].length + 1);
            grownMask[b][mask[b].length] = 1;
            grownLengths[b] = lengths[b] + 1;
        }
        return new LeftPaddedBatch(grownIds, grownMask, grownLengths);
    }

    int width() {
        return ids[0].length;
    }
}
