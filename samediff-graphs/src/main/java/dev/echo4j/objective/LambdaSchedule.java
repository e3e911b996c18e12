package dev.echo4j.objective;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * How lambda changes over training, as the reference trainer offers it: {@code constant} (the paper's choice:
 * the env loss falls by itself, "self-annealing"), {@code linear_decay} from lambda to {@code final_fraction} x
 * lambda over {@code decay_steps}, or {@code step_decay}, multiplying by {@code factor} every {@code every} steps.
 *
 * @param kind           constant, linear_decay or step_decay
 * @param finalFraction  linear_decay: the fraction of lambda left after {@code decaySteps} (then held)
 * @param decaySteps     linear_decay: steps over which lambda falls
 * @param every          step_decay: steps between multiplications
 * @param factor         step_decay: the multiplier, in (0, 1]
 */
public record LambdaSchedule(
        @JsonProperty("kind") Kind kind,
        @JsonProperty("final_fraction") double finalFraction,
        @JsonProperty("decay_steps") int decaySteps,
        @JsonProperty("every") int every,
        @JsonProperty("factor") double factor) {

    public static final LambdaSchedule CONSTANT = new LambdaSchedule(Kind.CONSTANT, 0.0, 100, 50, 0.5);

    public LambdaSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("lambda_schedule.kind: missing; allowed: constant, linear_decay, step_decay");
        }
        if (!(finalFraction >= 0 && finalFraction <= 1)) {
            throw new IllegalArgumentException("lambda_schedule.final_fraction = " + finalFraction + ": must lie in [0, 1]");
        }
        if (decaySteps < 1 || every < 1) {
            throw new IllegalArgumentException("lambda_schedule: decay_steps and every must be at least 1, got " + decaySteps + " and " + every);
        }
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("lambda_schedule.factor = " + factor + ": must lie in (0, 1]");
        }
    }

    @JsonCreator
    static LambdaSchedule fromJson(@JsonProperty("kind") Kind kind, @JsonProperty("final_fraction") Double finalFraction,
                                   @JsonProperty("decay_steps") Integer decaySteps, @JsonProperty("every") Integer every,
                                   @JsonProperty("factor") Double factor) {
        LambdaSchedule d = CONSTANT;
        return new LambdaSchedule(kind != null ? kind : d.kind, finalFraction != null ? finalFraction : d.finalFraction,
                decaySteps != null ? decaySteps : d.decaySteps, every != null ? every : d.every, factor != null ? factor : d.factor);
    }

    /** Lambda for the update of training step {@code step} (0-based), from the configured {@code lambda}. */
    public double at(double lambda, long step) {
        return switch (kind) {
            case CONSTANT -> lambda;
            case LINEAR_DECAY -> lambda * (1 - (1 - finalFraction) * Math.min(1.0, step / (double) decaySteps));
            case STEP_DECAY -> lambda * Math.pow(factor, step / every);
        };
    }

    /** The schedule's shape. */
    public enum Kind {
        CONSTANT, LINEAR_DECAY, STEP_DECAY;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Kind fromId(String id) {
            return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("lambda_schedule.kind: unknown value '" + id + "'; allowed: constant, linear_decay, step_decay"));
        }
    }
}
