package dev.echo4j.train;

/** Validation messages that name the field, the bad value and what is allowed. */
final class Checks {

    private Checks() {
    }

    static void positive(String field, double value) {
        require(value > 0 && Double.isFinite(value), field, value, "must be a finite number > 0");
    }

    static void nonNegative(String field, double value) {
        require(value >= 0 && Double.isFinite(value), field, value, "must be a finite number >= 0");
    }

    static void inUnitInterval(String field, double value) {
        require(value >= 0 && value < 1, field, value, "must lie in [0, 1)");
    }

    static void atLeast(String field, long value, long min) {
        require(value >= min, field, value, "must be at least " + min);
    }

    static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(field + " = " + value + ": " + rule);
        }
    }
}
