package dev.echo4j.tune;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

/**
 * One searched hyperparameter as declared in YAML, e.g. {@code {type: log_uniform, min: 0.003, max: 0.2}},
 * turned into the Arbiter space that draws it. Only varying parameters belong here (fixed settings go in the
 * search's {@code fixed} section): Arbiter's grid search skips single-valued leaves, which would misalign the rest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParameterSpec(
        @JsonProperty("type") ParameterKind type,
        @JsonProperty("min") Double min,
        @JsonProperty("max") Double max,
        @JsonProperty("values") List<Object> values) {

    public ParameterSpec {
        if (type == null) {
            throw new IllegalArgumentException("type is missing: give one of continuous, log_uniform, integer, discrete");
        }
        switch (type) {
            case CONTINUOUS, LOG_UNIFORM, INTEGER -> {
                if (min == null || max == null || !(min < max) || values != null) {
                    throw new IllegalArgumentException("type " + type.name().toLowerCase() + " needs min < max and no values (got min = "
                            + min + ", max = " + max + ", values = " + values + ")");
                }
                if (type == ParameterKind.LOG_UNIFORM && !(min > 0)) {
                    throw new IllegalArgumentException("type log_uniform needs min > 0 (got min = " + min + ")");
                }
                if (type == ParameterKind.INTEGER && (min != Math.rint(min) || max != Math.rint(max))) {
                    throw new IllegalArgumentException("type integer needs whole min and max (got " + min + ", " + max + ")");
                }
            }
            case DISCRETE -> {
                if (values == null || values.size() < 2 || min != null || max != null) {
                    throw new IllegalArgumentException("type discrete needs a list of at least two values and no min/max (got values = "
                            + values + "); a single value belongs in the search's fixed section");
                }
                values = List.copyOf(values);
            }
        }
    }

    public static ParameterSpec logUniform(double min, double max) {
        return new ParameterSpec(ParameterKind.LOG_UNIFORM, min, max, null);
    }

    /** A fresh Arbiter leaf (leaves carry their index in the flat parameter vector, so they are never shared). */
    ParameterSpace<?> toArbiter() {
        return switch (type) {
            case CONTINUOUS -> new ContinuousParameterSpace(min, max);
            case LOG_UNIFORM -> new ContinuousParameterSpace(new LogUniformDistribution(min, max));
            case INTEGER -> new IntegerParameterSpace(min.intValue(), max.intValue());
            case DISCRETE -> new DiscreteParameterSpace<>(values.toArray());
        };
    }
}
