package dev.echo4j.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;

class EchoConfigTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void defaultsAreThePapersRecipe() {
        EchoConfig d = EchoConfig.DEFAULTS;
        assertEquals(0.05, d.lambda());
        assertEquals(1.0, d.policyCoef());
        assertEquals(0.2, d.clipLow());
        assertEquals(0.2, d.clipHigh());
        assertEquals(0.0, d.klBeta());
        assertEquals(PolicyReduction.SEQUENCE_MEAN, d.policyReduction());
        assertEquals(EnvNormalization.FULL_OBSERVATION_TOKENS, d.envNormalization());
    }

    @Test
    void jsonFillsAbsentFieldsWithDefaultsAndRoundTrips() throws Exception {
        EchoConfig c = json.readValue("{\"lambda\": 0.01, \"policy_reduction\": \"token_mean\"}", EchoConfig.class);
        assertEquals(EchoConfig.DEFAULTS.withLambda(0.01).withPolicyReduction(PolicyReduction.TOKEN_MEAN), c);
        assertEquals(c, json.readValue(json.writeValueAsString(c), EchoConfig.class));
    }

    @Test
    void badValuesNameTheFieldAndWhatIsAllowed() {
        assertMessage(() -> EchoConfig.DEFAULTS.withLambda(-0.1), "lambda", ">= 0");
        assertMessage(() -> EchoConfig.DEFAULTS.withLambda(Double.NaN), "lambda", ">= 0");
        assertMessage(() -> EchoConfig.DEFAULTS.withPolicyCoef(-1), "policy_coef", ">= 0");
        assertMessage(() -> EchoConfig.DEFAULTS.withKlBeta(-1), "kl_beta", ">= 0");
        assertMessage(() -> EchoConfig.DEFAULTS.withClip(0, 0.2), "clip_low", "(0, 1)");
        assertMessage(() -> EchoConfig.DEFAULTS.withClip(0.2, 1.5), "clip_high", "(0, 1)");
        assertMessage(() -> EchoConfig.DEFAULTS.withLambda(0).withPolicyCoef(0), "both 0", "env-only");
        assertMessage(() -> PolicyReduction.fromId("mean"), "policy_reduction", "sequence_mean");
        assertMessage(() -> EnvNormalization.fromId("all"), "env_normalization", "selected_tokens");
    }

    @Test
    void unknownNameInJsonIsRejectedWithTheAllowedValues() {
        ValueInstantiationException e = assertThrows(ValueInstantiationException.class,
                () -> json.readValue("{\"env_normalization\": \"sum\"}", EchoConfig.class));
        assertTrue(e.getMessage().contains("full_observation_tokens"), e.getMessage());
    }

    private static void assertMessage(Runnable action, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention '" + part + "'");
        }
    }
}
