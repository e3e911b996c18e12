package dev.echo4j.objective;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The ECHO objective's settings: {@code L = policy_coef * L_policy + lambda * L_env}.
 * Defaults follow the paper: lambda 0.05 (productive range 0.01-0.05; 0.2 collapsed into easy-to-predict
 * rollouts), symmetric clip 0.2, no KL, sequence_mean, full-observation normalisation, a constant lambda,
 * warnings out of the env term. {@code logprob_temperature} divides the logits before the policy term's
 * log-probs (1: the policy's own; set to the sampling temperature as TRL, verl and SkyRL do); the env term's
 * cross-entropy is always of the untempered logits, the world model itself.
 */
public record EchoConfig(
        @JsonProperty("lambda") double lambda,
        @JsonProperty("policy_coef") double policyCoef,
        @JsonProperty("clip_low") double clipLow,
        @JsonProperty("clip_high") double clipHigh,
        @JsonProperty("kl_beta") double klBeta,
        @JsonProperty("policy_reduction") PolicyReduction policyReduction,
        @JsonProperty("env_normalization") EnvNormalization envNormalization,
        @JsonProperty("lambda_schedule") LambdaSchedule lambdaSchedule,
        @JsonProperty("role_weights") RoleWeights roleWeights,
        @JsonProperty("logprob_temperature") double logprobTemperature) {

    public static final EchoConfig DEFAULTS = new EchoConfig(0.05, 1.0, 0.2, 0.2, 0.0,
            PolicyReduction.SEQUENCE_MEAN, EnvNormalization.FULL_OBSERVATION_TOKENS, LambdaSchedule.CONSTANT, RoleWeights.DEFAULTS, 1.0);

    public EchoConfig {
        requireNonNegative("lambda", lambda);
        requireNonNegative("policy_coef", policyCoef);
        requireNonNegative("kl_beta", klBeta);
        requireOpenUnit("clip_low", clipLow);
        requireOpenUnit("clip_high", clipHigh);
        if (policyReduction == null) {
            throw new IllegalArgumentException("policy_reduction: missing; allowed: token_mean, sequence_mean, seq_mean_token_sum_norm");
        }
        if (envNormalization == null) {
            throw new IllegalArgumentException("env_normalization: missing; allowed: full_observation_tokens, selected_tokens, token_mean");
        }
        if (lambdaSchedule == null || roleWeights == null) {
            throw new IllegalArgumentException("lambda_schedule and role_weights: must not be null");
        }
        if (!(logprobTemperature > 0) || Double.isInfinite(logprobTemperature)) {
            throw new IllegalArgumentException("logprob_temperature = " + logprobTemperature
                    + ": must be > 0 (1: the policy's own log-probs; the sampling temperature: as TRL, verl and SkyRL compute them)");
        }
        if (lambda == 0 && policyCoef == 0) {
            throw new IllegalArgumentException("lambda and policy_coef are both 0: the loss would be zero; set lambda > 0 (env-only) or policy_coef > 0");
        }
    }

    /** Reads a config where absent fields take their defaults (the way YAML files and the CLI give them). */
    @JsonCreator
    static EchoConfig fromJson(
            @JsonProperty("lambda") Double lambda,
            @JsonProperty("policy_coef") Double policyCoef,
            @JsonProperty("clip_low") Double clipLow,
            @JsonProperty("clip_high") Double clipHigh,
            @JsonProperty("kl_beta") Double klBeta,
            @JsonProperty("policy_reduction") PolicyReduction policyReduction,
            @JsonProperty("env_normalization") EnvNormalization envNormalization,
            @JsonProperty("lambda_schedule") LambdaSchedule lambdaSchedule,
            @JsonProperty("role_weights") RoleWeights roleWeights,
            @JsonProperty("logprob_temperature") Double logprobTemperature) {
        EchoConfig d = DEFAULTS;
        return new EchoConfig(
                lambda != null ? lambda : d.lambda,
                policyCoef != null ? policyCoef : d.policyCoef,
                clipLow != null ? clipLow : d.clipLow,
                clipHigh != null ? clipHigh : d.clipHigh,
                klBeta != null ? klBeta : d.klBeta,
                policyReduction != null ? policyReduction : d.policyReduction,
                envNormalization != null ? envNormalization : d.envNormalization,
                lambdaSchedule != null ? lambdaSchedule : d.lambdaSchedule,
                roleWeights != null ? roleWeights : d.roleWeights,
                logprobTemperature != null ? logprobTemperature : d.logprobTemperature);
    }

    public EchoConfig withLambda(double value) {
        return new EchoConfig(value, policyCoef, clipLow, clipHigh, klBeta, policyReduction, envNormalization, lambdaSchedule, roleWeights, logprobTemperature);
    }

    public EchoConfig withPolicyCoef(double value) {
        return new EchoConfig(lambda, value, clipLow, clipHigh, klBeta, policyReduction, envNormalization, lambdaSchedule, roleWeights, logprobTemperature);
    }

    public EchoConfig withClip(double low, double high) {
        return new EchoConfig(lambda, policyCoef, low, high, klBeta, policyReduction, envNormalization, lambdaSchedule, roleWeights, logprobTemperature);
    }

    public EchoConfig withKlBeta(double value) {
        return new EchoConfig(lambda, policyCoef, clipLow, clipHigh, value, policyReduction, envNormalization, lambdaSchedule, roleWeights, logprobTemperature);
    }

    public EchoConfig withPolicyReduction(PolicyReduction value) {
        return new EchoConfig(lambda, policyCoef, clipLow, clipHigh, klBeta, value, envNormalization, lambdaSchedule, roleWeights, logprobTemperature);
    }

    public EchoConfig withEnvNormalization(EnvNormalization value) {
        return new EchoConfig(lambda, policyCoef, clipLow, clipHigh, klBeta, policyReduction, value, lambdaSchedule, roleWeights, logprobTemperature);
    }

    public EchoConfig withLambdaSchedule(LambdaSchedule value) {
        return new EchoConfig(lambda, policyCoef, clipLow, clipHigh, klBeta, policyReduction, envNormalization, value, roleWeights, logprobTemperature);
    }

    public EchoConfig withRoleWeights(RoleWeights value) {
        return new EchoConfig(lambda, policyCoef, clipLow, clipHigh, klBeta, policyReduction, envNormalization, lambdaSchedule, value, logprobTemperature);
    }

    public EchoConfig withLogprobTemperature(double value) {
        return new EchoConfig(lambda, policyCoef, clipLow, clipHigh, klBeta, policyReduction, envNormalization, lambdaSchedule, roleWeights, value);
    }

    private static void requireNonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " = " + value + ": must be a finite number >= 0");
        }
    }

    private static void requireOpenUnit(String field, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(field + " = " + value + ": must lie in the open interval (0, 1), e.g. 0.2");
        }
    }
}
