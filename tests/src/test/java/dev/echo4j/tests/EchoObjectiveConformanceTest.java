package dev.echo4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.objective.EchoObjective;
import dev.echo4j.objective.GroupAdvantages;
import dev.echo4j.objective.ObjectiveBatch;
import dev.echo4j.samediff.Dl4jLogging;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every reference case of the independent PyTorch implementation, reproduced in float32: the six
 * scalars and d loss / d logits. {@code -Decho.reference.dir=DIR} checks another folder of the same format.
 */
class EchoObjectiveConformanceTest {

    private static final double REL = 1e-4;
    private static final double ABS = 1e-6;

    private static Path root() {
        return ReferenceCases.folder("echo.reference.dir", "echo-objective");
    }

    @TestFactory
    Stream<DynamicTest> objectiveCases() {
        return objectiveCases(root());
    }

    @TestFactory
    Stream<DynamicTest> advantageCases() {
        return advantageCases(root().resolve("advantages"));
    }

    /** One test per objective case in {@code dir}; an empty folder fails. */
    static Stream<DynamicTest> objectiveCases(Path dir) {
        return ReferenceCases.jsonFiles(dir).stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> checkObjective(ReferenceCases.read(file))));
    }

    /** One test per group-advantage case in {@code dir}; an empty folder fails. */
    static Stream<DynamicTest> advantageCases(Path dir) {
        return ReferenceCases.jsonFiles(dir).stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> checkAdvantages(ReferenceCases.read(file))));
    }

    private static void checkObjective(JsonNode c) throws Exception {
        EchoConfig config = ReferenceCases.JSON.treeToValue(c.get("config"), EchoConfig.class);
        INDArray logitsValue = ReferenceCases.array(c.get("logits"), DataType.FLOAT);
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.var("logits", logitsValue);
        EchoObjective echo = EchoObjective.attach(sd, logits, config);
        ObjectiveBatch batch = new ObjectiveBatch(
                ReferenceCases.array(c.get("targets"), DataType.INT32),
                ReferenceCases.array(c.get("roles"), DataType.INT32),
                ReferenceCases.array(c.get("advantages"), DataType.FLOAT),
                ReferenceCases.array(c.get("old_logp"), DataType.FLOAT),
                ReferenceCases.array(c.get("ref_logp"), DataType.FLOAT));
        Map<String, INDArray> feeds = echo.placeholders(batch, logitsValue.shape());

        JsonNode expected = c.get("expected");
        Map<String, INDArray> out = sd.output(feeds, EchoObjective.METRICS.toArray(String[]::new));
        for (String metric : EchoObjective.METRICS) {
            assertClose(metric, expected.get(metric).asDouble(), out.get(metric).getDouble(0));
        }
        Map<String, INDArray> grads = Dl4jLogging.quietly(() -> sd.calculateGradients(feeds, "logits"));
        INDArray want = ReferenceCases.array(expected.get("grad_logits"), DataType.DOUBLE);
        INDArray got = grads.get("logits").castTo(DataType.DOUBLE);
        assertArrayEquals(want.shape(), got.shape(), "grad_logits shape");
        INDArray written = sd.output(feeds, EchoObjective.LOGITS_GRADIENT).get(EchoObjective.LOGITS_GRADIENT).castTo(DataType.DOUBLE);
        assertArrayEquals(want.shape(), written.shape(), "written-out grad_logits shape");
        for (long i = 0; i < want.length(); i++) {
            assertClose("grad_logits[" + i + "]", want.getDouble(i), got.getDouble(i));
            assertClose("written-out grad_logits[" + i + "]", want.getDouble(i), written.getDouble(i));
        }
    }

    private static void checkAdvantages(JsonNode c) {
        GroupAdvantages.Scale scale = GroupAdvantages.Scale.fromId(c.get("scale").asText());
        JsonNode groups = c.get("rewards");
        for (int g = 0; g < groups.size(); g++) {
            double[] rewards = ReferenceCases.array(groups.get(g), DataType.DOUBLE).toDoubleVector();
            double[] want = ReferenceCases.array(c.get("expected").get(g), DataType.DOUBLE).toDoubleVector();
            double[] got = GroupAdvantages.of(rewards, scale);
            for (int i = 0; i < want.length; i++) {
                assertClose("group " + g + " advantage " + i, want[i], got[i]);
            }
        }
    }

    private static void assertClose(String what, double want, double got) {
        double err = Math.abs(want - got);
        assertTrue(err <= ABS || err <= REL * Math.abs(want),
                () -> what + ": expected " + want + " got " + got + " (abs err " + err + ")");
        assertEquals(Double.isFinite(want), Double.isFinite(got), what);
    }
}
