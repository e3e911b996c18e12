package dev.echo4j.tune;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a hyperparameter's values are drawn: the four kinds a search space in YAML may declare. */
public enum ParameterKind {
    /** Uniform on [min, max]. */
    @JsonProperty("continuous") CONTINUOUS,
    /** Uniform in log space on [min, max]: for rates and coefficients that matter by order of magnitude. */
    @JsonProperty("log_uniform") LOG_UNIFORM,
    /** Integers min..max inclusive. */
    @JsonProperty("integer") INTEGER,
    /** One of the listed values. */
    @JsonProperty("discrete") DISCRETE
}
