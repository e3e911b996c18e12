package dev.echo4j.cli;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.rollout.RolloutEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Under spark-submit the driver learns its master only from the system property {@code spark.master}: a submitted
 * command without {@code --spark-master} must still go to Spark, never play silently on the driver. This module has
 * no echo4j-spark on its class path, so going to Spark shows as the one-line refusal that names the master.
 */
class SparkOptionsTest {

    @AfterEach
    void clear() {
        System.clearProperty("spark.master");
    }

    @Test
    void withoutAMasterEpisodesPlayHere() {
        try (SparkOptions.Engines engines = new SparkOptions().open()) {
            assertSame(RolloutEngine.Factory.LOCAL, engines.factory());
        }
    }

    @Test
    void theMasterSparkSubmitGaveIsTheDefault() {
        System.setProperty("spark.master", "spark://head:7077");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkOptions().open());
        assertTrue(e.getMessage().startsWith("--spark-master spark://head:7077 needs echo4j-spark"), e.getMessage());
    }

    @Test
    void anExplicitMasterWins() {
        System.setProperty("spark.master", "spark://head:7077");
        SparkOptions options = new SparkOptions();
        options.master = "local[2]";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::open);
        assertTrue(e.getMessage().startsWith("--spark-master local[2] needs echo4j-spark"), e.getMessage());
    }
}
