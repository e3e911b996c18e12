package dev.echo4j.task.suite;

import java.util.List;
import java.util.SplittableRandom;

/** Small helpers the families share: shell quoting and random picks. */
final class Sh {

    static final List<String> WORDS = List.of("alpha", "bravo", "cedar", "delta", "ember", "falcon", "garnet", "harbor",
            "indigo", "juniper", "kelp", "lumen", "maple", "nectar", "onyx", "pebble", "quartz", "raven", "sierra", "tundra",
            "umber", "velvet", "willow", "xenon", "yarrow", "zephyr");

    private Sh() {
    }

    /** A single-quoted bash word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String pick(SplittableRandom rng, List<String> from) {
        return from.get(rng.nextInt(from.size()));
    }

    /** {@code n} distinct picks, in random order. */
    static List<String> distinct(SplittableRandom rng, List<String> from, int n) {
        List<String> pool = new java.util.ArrayList<>(from);
        for (int i = pool.size() - 1; i > 0; i--) {
            java.util.Collections.swap(pool, i, rng.nextInt(i + 1));
        }
        return List.copyOf(pool.subList(0, n));
    }

    /** A random lowercase token like {@code k3x9q2}. */
    static String token(SplittableRandom rng, int len) {
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            b.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String sentence(SplittableRandom rng, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append(pick(rng, WORDS));
        }
        return b.toString();
    }
}
